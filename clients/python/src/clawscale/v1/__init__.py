"""Generated stubs of the ``clawscale.v1`` gRPC API.

The ``*_pb2.py`` / ``*_pb2_grpc.py`` modules are generated from ``protos/clawscale/v1/*.proto`` by
``clients/python/scripts/generate.sh`` and are not committed. Import them as
``from clawscale.v1 import admin_pb2, admin_pb2_grpc``.
"""
