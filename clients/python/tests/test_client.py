"""clawscale.Client and clawscale.AsyncClient against the real kernel."""
from __future__ import annotations

import asyncio

import grpc
import pytest

import clawscale
from clawscale._common import parse_address
from clawscale.v1 import admin_pb2, identity_pb2, resources_pb2
from conftest import Kernel, unique


def test_parse_address() -> None:
    assert parse_address("http://127.0.0.1:4041") == parse_address("127.0.0.1:4041")
    assert not parse_address("http://h:1").secure
    assert parse_address("https://gw.example.com").host_port == "gw.example.com:443"
    assert parse_address("https://gw.example.com").secure
    with pytest.raises(ValueError):
        parse_address("ftp://h:1")


def test_repr_never_shows_the_key() -> None:
    c = clawscale.Client("http://127.0.0.1:1", api_key="csk_secretsecretsecret")
    try:
        assert "secret" not in repr(c)
    finally:
        c.close()


def test_admin_creates_and_lists_tenants(kernel: Kernel) -> None:
    slug = unique("py")
    with clawscale.Client(kernel.grpc_address, api_key=kernel.admin_key) as cs:
        tenant = cs.admin.CreateTenant(admin_pb2.CreateTenantRequest(slug=slug, display_name="From Python")).tenant
        assert tenant.slug == slug and tenant.id
        listed = cs.admin.ListTenants(admin_pb2.ListTenantsRequest(page_size=500)).tenants
        assert tenant.id in [t.id for t in listed]
        with pytest.raises(grpc.RpcError) as err:
            cs.admin.CreateTenant(admin_pb2.CreateTenantRequest(slug="Bad Slug", display_name="x"))
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "slug" in err.value.details()


def test_identity_resolves_with_a_tenant_key(kernel: Kernel) -> None:
    with clawscale.Client(kernel.grpc_address, api_key=kernel.admin_key) as cs:
        tenant = cs.admin.CreateTenant(admin_pb2.CreateTenantRequest(slug=unique("pyid"), display_name="Id")).tenant
        secret = cs.admin.CreateApiKey(admin_pb2.CreateApiKeyRequest(
            tenant_id=tenant.id, name="py", scope=resources_pb2.API_KEY_SCOPE_TENANT_ADMIN)).secret
    with clawscale.Client(kernel.grpc_address, api_key=secret) as ts:
        key = identity_pb2.ExternalIdentityKey(provider="Telegram", identity_type="user_id", value="4242")
        first = ts.identity.ResolveExternalIdentity(identity_pb2.ResolveExternalIdentityRequest(identity=key, display_name="Ada"))
        assert first.created and first.customer.tenant_id == tenant.id
        assert first.identity.provider == "telegram"  # normalized
        again = ts.identity.ResolveExternalIdentity(identity_pb2.ResolveExternalIdentityRequest(identity=key))
        assert not again.created and again.customer.id == first.customer.id
        customer = ts.identity.GetCustomer(identity_pb2.GetCustomerRequest(customer_id=first.customer.id))
        assert [i.value for i in customer.identities] == ["4242"]


def test_the_key_is_injected(kernel: Kernel) -> None:
    with clawscale.Client(kernel.grpc_address) as anonymous:
        with pytest.raises(grpc.RpcError) as err:
            anonymous.admin.ListTenants(admin_pb2.ListTenantsRequest())
        assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with clawscale.Client(kernel.grpc_address, api_key="csk_" + "x" * 40) as wrong:
        with pytest.raises(grpc.RpcError) as err:
            wrong.admin.ListTenants(admin_pb2.ListTenantsRequest())
        assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with clawscale.Client(kernel.grpc_address, api_key=kernel.admin_key) as cs:
        response, call = cs.admin.ListTenants.with_call(admin_pb2.ListTenantsRequest())
        assert call.code() == grpc.StatusCode.OK


def test_default_timeout_applies_to_unary_calls(kernel: Kernel) -> None:
    with clawscale.Client(kernel.grpc_address, api_key=kernel.admin_key, timeout=1e-4) as cs:
        with pytest.raises(grpc.RpcError) as err:
            cs.admin.ListTenants(admin_pb2.ListTenantsRequest())
        assert err.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        # a per-call timeout replaces the default
        cs.admin.ListTenants(admin_pb2.ListTenantsRequest(), timeout=30)


def test_async_client(kernel: Kernel) -> None:
    async def main() -> None:
        async with clawscale.AsyncClient(kernel.grpc_address, api_key=kernel.admin_key) as cs:
            tenant = (await cs.admin.CreateTenant(admin_pb2.CreateTenantRequest(slug=unique("pyaio"), display_name="Aio"))).tenant
            got = (await cs.admin.GetTenant(admin_pb2.GetTenantRequest(tenant_id=tenant.id))).tenant
            assert got.slug == tenant.slug
        async with clawscale.AsyncClient(kernel.grpc_address) as anonymous:
            with pytest.raises(grpc.aio.AioRpcError) as err:
                await anonymous.admin.ListTenants(admin_pb2.ListTenantsRequest())
            assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED

    asyncio.run(main())
