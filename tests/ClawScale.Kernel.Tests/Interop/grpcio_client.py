"""Python grpcio client used by GrpcInteropTests: calls the kernel's admin, identity and health RPCs.

Usage: python3 grpcio_client.py <stubs-dir> <host:port> <api-key>
Prints one JSON object with what it observed; exits non-zero on any unexpected result.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from clawscale.v1 import admin_pb2, admin_pb2_grpc, identity_pb2, identity_pb2_grpc, resources_pb2  # noqa: E402
from healthcheck import health_pb2, health_pb2_grpc  # noqa: E402

target, key = sys.argv[2], sys.argv[3]
auth = (("authorization", "Bearer " + key),)
out = {}

with grpc.insecure_channel(target) as channel:
    admin = admin_pb2_grpc.AdminServiceStub(channel)
    identity = identity_pb2_grpc.IdentityServiceStub(channel)
    health = health_pb2_grpc.HealthStub(channel)

    tenant = admin.CreateTenant(admin_pb2.CreateTenantRequest(slug="py-" + sys.argv[4], display_name="From Python"), metadata=auth, timeout=10).tenant
    out["tenant_slug"] = tenant.slug
    listed = admin.ListTenants(admin_pb2.ListTenantsRequest(page_size=500), metadata=auth, timeout=10)
    out["listed"] = any(t.id == tenant.id for t in listed.tenants)

    created = admin.CreateApiKey(admin_pb2.CreateApiKeyRequest(tenant_id=tenant.id, name="py", scope=resources_pb2.API_KEY_SCOPE_TENANT_ADMIN), metadata=auth, timeout=10)
    tenant_auth = (("authorization", "Bearer " + created.secret),)
    resolved = identity.ResolveExternalIdentity(identity_pb2.ResolveExternalIdentityRequest(
        identity=identity_pb2.ExternalIdentityKey(provider="Telegram", identity_type="user_id", value="4242"), display_name="Py User"),
        metadata=tenant_auth, timeout=10)
    out["customer_tenant_matches"] = resolved.customer.tenant_id == tenant.id
    out["provider"] = resolved.identity.provider
    customer = identity.GetCustomer(identity_pb2.GetCustomerRequest(customer_id=resolved.customer.id), metadata=tenant_auth, timeout=10)
    out["identities"] = len(customer.identities)

    try:
        admin.GetTenant(admin_pb2.GetTenantRequest(tenant_id=tenant.id), timeout=10)
        out["unauthenticated"] = "no error"
    except grpc.RpcError as e:
        out["unauthenticated"] = e.code().name
        out["unauthenticated_message"] = e.details()

    try:
        admin.CreateTenant(admin_pb2.CreateTenantRequest(slug="Bad Slug", display_name="x"), metadata=auth, timeout=10)
        out["invalid"] = "no error"
    except grpc.RpcError as e:
        out["invalid"] = e.code().name
        out["invalid_message"] = e.details()

    out["health"] = health_pb2.HealthCheckResponse.ServingStatus.Name(health.Check(health_pb2.HealthCheckRequest(service=""), timeout=10).status)
    watch = health.Watch(health_pb2.HealthCheckRequest(service=""), timeout=10)
    first = next(watch)
    out["watch_first"] = health_pb2.HealthCheckResponse.ServingStatus.Name(first.status)
    watch.cancel()

print(json.dumps(out))
