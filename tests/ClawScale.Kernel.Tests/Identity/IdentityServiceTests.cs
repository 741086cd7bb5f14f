using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;

namespace ClawScale.Kernel.Tests.Identity;

/// <summary>IdentityService through the real host over HTTP/2, on SQLite and on PostgreSQL.</summary>
public abstract class IdentityServiceTests(KernelFixture fixture)
{
    private KernelHost Kernel => fixture.Host;

    private static ExternalIdentityKey Key(string provider, string type, string value) => new() { Provider = provider, IdentityType = type, Value = value };

    [SkippableFact]
    public async Task Resolve_creates_a_customer_once_and_returns_it_afterwards()
    {
        var k = Kernel;
        var (tenant, key) = await k.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var first = await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Key("telegram", "user_id", "1001"), DisplayName = "Grace" }, auth);
        Assert.True(first.Created);
        Assert.Equal(tenant.Id, first.Customer.TenantId);
        Assert.Equal("Grace", first.Customer.DisplayName);

        var again = await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Key(" Telegram ", "USER_ID", " 1001 ") }, auth);
        Assert.False(again.Created);
        Assert.Equal(first.Customer.Id, again.Customer.Id);
        Assert.Equal("telegram", again.Identity.Provider);
        Assert.Equal("user_id", again.Identity.IdentityType);

        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Key("telegram", "user_id", "2002"), CreateIfMissing = false }, auth).ResponseAsync);
    }

    [SkippableFact]
    public async Task Values_are_normalized_per_identity_type()
    {
        var k = Kernel;
        var (_, key) = await k.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var email = await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Key("web", "email", "  Ada@Example.COM ") }, auth);
        Assert.Equal("ada@example.com", email.Identity.Value);
        var phone = await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Key("whatsapp", "phone", "+1 (415) 555-0100") }, auth);
        Assert.Equal("+14155550100", phone.Identity.Value);
        var user = await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Key("telegram", "username", "@AdaL") }, auth);
        Assert.Equal("adal", user.Identity.Value);
        var same = await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Key("telegram", "username", "adal") }, auth);
        Assert.Equal(user.Customer.Id, same.Customer.Id);

        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Key("whatsapp", "phone", "call me") }, auth).ResponseAsync, "identity.value");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Key("", "user_id", "1") }, auth).ResponseAsync, "identity.provider");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest(), auth).ResponseAsync, "identity");
    }

    [SkippableFact]
    public async Task Link_list_and_unlink_identities()
    {
        var k = Kernel;
        var (_, key) = await k.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var ada = (await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Key("telegram", "user_id", "1") }, auth)).Customer;
        var bob = (await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Key("telegram", "user_id", "2") }, auth)).Customer;

        var linked = await k.Identity.LinkExternalIdentityAsync(new LinkExternalIdentityRequest { CustomerId = ada.Id, Identity = Key("slack", "user_id", "U1") }, auth);
        Assert.Equal(ada.Id, linked.Identity.CustomerId);
        // Linking again is idempotent; linking another customer's identity is a conflict.
        await k.Identity.LinkExternalIdentityAsync(new LinkExternalIdentityRequest { CustomerId = ada.Id, Identity = Key("slack", "user_id", "U1") }, auth);
        await RpcAssert.ThrowsAsync(StatusCode.AlreadyExists, () => k.Identity.LinkExternalIdentityAsync(new LinkExternalIdentityRequest { CustomerId = bob.Id, Identity = Key("slack", "user_id", "U1") }, auth).ResponseAsync, "another customer");

        var resolvedViaSlack = await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = Key("slack", "user_id", "U1") }, auth);
        Assert.Equal(ada.Id, resolvedViaSlack.Customer.Id);

        var list = await k.Identity.ListExternalIdentitiesAsync(new ListExternalIdentitiesRequest { CustomerId = ada.Id }, auth);
        Assert.Equal(2, list.Identities.Count);
        var customer = await k.Identity.GetCustomerAsync(new GetCustomerRequest { CustomerId = ada.Id }, auth);
        Assert.Equal(2, customer.Identities.Count);

        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => k.Identity.UnlinkExternalIdentityAsync(new UnlinkExternalIdentityRequest { CustomerId = bob.Id, ExternalIdentityId = linked.Identity.Id }, auth).ResponseAsync);
        await k.Identity.UnlinkExternalIdentityAsync(new UnlinkExternalIdentityRequest { CustomerId = ada.Id, Identity = Key("SLACK", "user_id", "U1") }, auth);
        Assert.Single((await k.Identity.ListExternalIdentitiesAsync(new ListExternalIdentitiesRequest { CustomerId = ada.Id }, auth)).Identities);
        k.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Concurrent_resolves_of_one_identity_yield_one_customer()
    {
        var k = Kernel;
        var (_, key) = await k.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var calls = Enumerable.Range(0, 8).Select(_ => k.Identity.ResolveExternalIdentityAsync(
            new ResolveExternalIdentityRequest { Identity = Key("discord", "user_id", "777") }, auth).ResponseAsync);
        var results = await Task.WhenAll(calls);
        Assert.Single(results.Select(r => r.Customer.Id).Distinct());
        Assert.Single(results, r => r.Created);
    }
}

public sealed class IdentityServiceSqliteTests(SqliteKernelFixture fixture) : IdentityServiceTests(fixture), IClassFixture<SqliteKernelFixture>;

public sealed class IdentityServicePostgresTests(PostgresKernelFixture fixture) : IdentityServiceTests(fixture), IClassFixture<PostgresKernelFixture>;
