"""Generated stubs of the ``clawscale.v1`` gRPC API.

The ``*_pb2.py`` / ``*_pb2_grpc.py`` / ``*_pb2.pyi`` modules are generated from ``protos/clawscale/v1/*.proto`` by
``clients/python/scripts/generate.sh`` (protoc + grpc_python_plugin) and committed, so installing the package needs
no generation step; ``generate.sh --check`` (run by the tests) fails when they no longer match the protos.
Import them as ``from clawscale.v1 import admin_pb2, admin_pb2_grpc``.
"""
