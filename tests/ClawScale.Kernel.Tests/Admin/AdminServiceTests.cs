using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClawScale.Kernel.Tests.Admin;

/// <summary>AdminService through the real host over HTTP/2, on SQLite and on PostgreSQL.</summary>
public abstract class AdminServiceTests(KernelFixture fixture)
{
    private KernelHost Kernel => fixture.Host;

    [SkippableFact]
    public async Task Tenant_lifecycle_create_get_list_update_delete()
    {
        var k = Kernel;
        var slug = "acme-" + Guid.NewGuid().ToString("N")[..8];
        var created = (await k.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = slug, DisplayName = "Acme" }, k.AdminAuth)).Tenant;
        Assert.Equal(slug, created.Slug);
        Assert.NotEmpty(created.Id);

        var fetched = (await k.Admin.GetTenantAsync(new GetTenantRequest { TenantId = created.Id }, k.AdminAuth)).Tenant;
        Assert.Equal("Acme", fetched.DisplayName);

        var updated = (await k.Admin.UpdateTenantAsync(new UpdateTenantRequest { TenantId = created.Id, DisplayName = "Acme Corp" }, k.AdminAuth)).Tenant;
        Assert.Equal("Acme Corp", updated.DisplayName);

        await RpcAssert.ThrowsAsync(StatusCode.AlreadyExists, () => k.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = slug, DisplayName = "Again" }, k.AdminAuth).ResponseAsync, slug);

        await k.Admin.DeleteTenantAsync(new DeleteTenantRequest { TenantId = created.Id }, k.AdminAuth);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => k.Admin.GetTenantAsync(new GetTenantRequest { TenantId = created.Id }, k.AdminAuth).ResponseAsync);
        k.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Deleting_a_tenant_rejects_its_cached_api_keys_at_once()
    {
        var k = Kernel;
        var (tenant, tenantKey) = await k.CreateTenantAsync();
        await k.Admin.GetTenantAsync(new GetTenantRequest { TenantId = tenant.Id }, KernelHost.Auth(tenantKey));

        await k.Admin.DeleteTenantAsync(new DeleteTenantRequest { TenantId = tenant.Id }, k.AdminAuth);

        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => k.Admin.ListAgentsAsync(new ListAgentsRequest(), KernelHost.Auth(tenantKey)).ResponseAsync);
        k.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task ListTenants_pages_with_tokens_and_tenant_keys_see_only_their_own()
    {
        var k = Kernel;
        var mine = new List<string>();
        for (var i = 0; i < 5; i++) mine.Add((await k.CreateTenantAsync()).Tenant.Id);

        var seen = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await k.Admin.ListTenantsAsync(new ListTenantsRequest { PageSize = 2, PageToken = token }, k.AdminAuth);
            Assert.True(page.Tenants.Count <= 2);
            seen.AddRange(page.Tenants.Select(t => t.Id));
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(mine, id => Assert.Contains(id, seen));

        var (tenant, key) = await k.CreateTenantAsync();
        var own = await k.Admin.ListTenantsAsync(new ListTenantsRequest(), KernelHost.Auth(key));
        Assert.Equal([tenant.Id], own.Tenants.Select(t => t.Id));

        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.ListTenantsAsync(new ListTenantsRequest { PageToken = "garbage!" }, k.AdminAuth).ResponseAsync, "page_token");
    }

    [SkippableFact]
    public async Task Bad_input_names_the_field()
    {
        var k = Kernel;
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = "Bad Slug", DisplayName = "x" }, k.AdminAuth).ResponseAsync, "slug");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = "good-slug" }, k.AdminAuth).ResponseAsync, "display_name");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "telegram", DisplayName = "x" }, k.AdminAuth).ResponseAsync, "tenant_id");
        var (tenant, _) = await k.CreateTenantAsync();
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateChannelAsync(new CreateChannelRequest { TenantId = tenant.Id, Kind = "Tele gram", DisplayName = "x" }, k.AdminAuth).ResponseAsync, "kind");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenant.Id, Name = "k" }, k.AdminAuth).ResponseAsync, "scope");
        // Plugin-backed validation: unknown kinds list the loaded ones; known kinds check their settings.
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateChannelAsync(new CreateChannelRequest { TenantId = tenant.Id, Kind = "carrier-pigeon", DisplayName = "x" }, k.AdminAuth).ResponseAsync, "telegram");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateChannelAsync(new CreateChannelRequest { TenantId = tenant.Id, Kind = "telegram", DisplayName = "x" }, k.AdminAuth).ResponseAsync, "bot_token");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateAgentAsync(new CreateAgentRequest { TenantId = tenant.Id, Name = "gpt", Kind = "openai" }, k.AdminAuth).ResponseAsync, "model");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenant.Id, Name = "k", Scope = ApiKeyScope.Runtime }, k.AdminAuth).ResponseAsync, "agent_ids");
    }

    [SkippableFact]
    public async Task Api_key_secret_is_returned_once_listed_without_secret_and_revocation_takes_effect()
    {
        var k = Kernel;
        var (tenant, tenantKey) = await k.CreateTenantAsync();
        var created = await k.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenant.Id, Name = "ops", Scope = ApiKeyScope.TenantAdmin }, KernelHost.Auth(tenantKey));
        Assert.StartsWith("csk_", created.Secret);
        Assert.StartsWith(created.ApiKey.Prefix, created.Secret);

        var listed = await k.Admin.ListApiKeysAsync(new ListApiKeysRequest(), KernelHost.Auth(tenantKey));
        Assert.Contains(listed.ApiKeys, key => key.Id == created.ApiKey.Id);
        Assert.DoesNotContain(created.Secret, listed.ToString());

        // The new key works (twice: the second call is served from the verified-key cache), then stops working at
        // once when revoked through this instance.
        await k.Admin.GetTenantAsync(new GetTenantRequest { TenantId = tenant.Id }, KernelHost.Auth(created.Secret));
        await k.Admin.GetTenantAsync(new GetTenantRequest { TenantId = tenant.Id }, KernelHost.Auth(created.Secret));
        var revoked = await k.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { ApiKeyId = created.ApiKey.Id }, KernelHost.Auth(tenantKey));
        Assert.NotNull(revoked.ApiKey.RevokeTime);
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => k.Admin.GetTenantAsync(new GetTenantRequest { TenantId = tenant.Id }, KernelHost.Auth(created.Secret)).ResponseAsync, "revoked");

        // Tenant admins cannot mint platform-admin keys.
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "root", Scope = ApiKeyScope.PlatformAdmin }, KernelHost.Auth(tenantKey)).ResponseAsync);
        // The last platform-admin key cannot be revoked.
        var platformKeys = await k.Admin.ListApiKeysAsync(new ListApiKeysRequest(), k.AdminAuth);
        Assert.Single(platformKeys.ApiKeys);
        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => k.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { ApiKeyId = platformKeys.ApiKeys[0].Id }, k.AdminAuth).ResponseAsync, "last");
    }

    [SkippableFact]
    public async Task Missing_or_unknown_keys_are_unauthenticated_and_runtime_keys_cannot_administer()
    {
        var k = Kernel;
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => k.Admin.ListTenantsAsync(new ListTenantsRequest()).ResponseAsync, "authorization");
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => k.Admin.ListTenantsAsync(new ListTenantsRequest(), KernelHost.Auth("csk_" + new string('x', 43))).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.Unauthenticated, () => k.Admin.ListTenantsAsync(new ListTenantsRequest(), new Metadata { { "authorization", "Basic abc" } }).ResponseAsync);

        var (tenant, tenantKey) = await k.CreateTenantAsync();
        var agent = (await k.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "bot", Kind = "echo" }, KernelHost.Auth(tenantKey))).Agent;
        var runtime = await k.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "rt", Scope = ApiKeyScope.Runtime, AgentIds = { agent.Id } }, KernelHost.Auth(tenantKey));
        Assert.Equal([agent.Id], runtime.ApiKey.AgentIds);
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Admin.ListChannelsAsync(new ListChannelsRequest(), KernelHost.Auth(runtime.Secret)).ResponseAsync, "runtime");
        // Runtime keys use IdentityService only within their agents' scope: they cannot create customers
        // (RuntimeKeyScopeTests covers what they can resolve). The tenant-admin key can.
        await RpcAssert.ThrowsAsync(StatusCode.PermissionDenied, () => k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = new ExternalIdentityKey { Provider = "telegram", IdentityType = "user_id", Value = "42" } }, KernelHost.Auth(runtime.Secret)).ResponseAsync, "runtime key cannot create customers");
        var resolved = await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = new ExternalIdentityKey { Provider = "telegram", IdentityType = "user_id", Value = "42" } }, KernelHost.Auth(tenantKey));
        Assert.Equal(tenant.Id, resolved.Customer.TenantId);
    }

    [SkippableFact]
    public async Task Channel_credentials_are_write_only_and_encrypted_at_rest()
    {
        var k = Kernel;
        var (tenant, key) = await k.CreateTenantAsync();
        const string token = "123456789:AAEhBP0av28tPb3N5xAdR8NW-veryxsecret";
        var channel = (await k.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "telegram",
            DisplayName = "Support bot",
            Config = { ["mode"] = "webhook", ["api_base_url"] = KernelHost.UnreachablePlatformUrl },
            Credentials = { ["bot_token"] = token },
        }, KernelHost.Auth(key))).Channel;
        Assert.Equal(tenant.Id, channel.TenantId);
        Assert.Equal(["bot_token"], channel.CredentialKeysSet);
        Assert.Equal("webhook", channel.Config["mode"]);
        Assert.Equal($"/webhooks/{channel.Id}", channel.WebhookPath);
        Assert.Equal(ChannelStatus.Pending, channel.Status);
        Assert.Equal(ChannelOwnership.Shared, channel.Ownership);
        Assert.DoesNotContain(token, channel.ToString());

        var updated = (await k.Admin.UpdateChannelAsync(new UpdateChannelRequest
        {
            ChannelId = channel.Id,
            DisplayName = "Support",
            Credentials = { ["bot_token"] = "987654321:AAEhBP0av28tPb3N5xAdR8NW-rotatedxx1" },
            Config = { ["mode"] = "polling" },
            Status = ChannelStatus.Disconnected,
        }, KernelHost.Auth(key))).Channel;
        Assert.Equal(["bot_token"], updated.CredentialKeysSet);
        Assert.DoesNotContain("rotated", updated.ToString());
        Assert.Equal("polling", updated.Config["mode"]);
        Assert.Equal(ChannelStatus.Disconnected, updated.Status);
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => k.Admin.UpdateChannelAsync(new UpdateChannelRequest { ChannelId = channel.Id, Status = ChannelStatus.Error }, KernelHost.Auth(key)).ResponseAsync, "status");

        // At rest: the database holds ciphertext only.
        var (credentialsColumn, secretColumn) = await ReadChannelSecretsAsync(k, channel.Id);
        Assert.DoesNotContain("rotated", credentialsColumn);
        Assert.NotEmpty(secretColumn);

        var listed = await k.Admin.ListChannelsAsync(new ListChannelsRequest { Kind = "telegram" }, KernelHost.Auth(key));
        Assert.Contains(listed.Channels, c => c.Id == channel.Id);
        await k.Admin.DeleteChannelAsync(new DeleteChannelRequest { ChannelId = channel.Id }, KernelHost.Auth(key));
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => k.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = channel.Id }, KernelHost.Auth(key)).ResponseAsync);
    }

    [SkippableFact]
    public async Task Agents_and_bindings()
    {
        var k = Kernel;
        var (_, key) = await k.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await k.Admin.CreateAgentAsync(new CreateAgentRequest
        {
            Name = "helper",
            Kind = "openai",
            Config = { ["model"] = "gpt-4o-mini" },
            Credentials = { ["api_key"] = "sk-secret-value" },
        }, auth)).Agent;
        Assert.Equal(["api_key"], agent.CredentialKeysSet);
        Assert.DoesNotContain("sk-secret-value", agent.ToString());
        await RpcAssert.ThrowsAsync(StatusCode.AlreadyExists, () => k.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "helper", Kind = "echo" }, auth).ResponseAsync, "helper");

        var renamed = (await k.Admin.UpdateAgentAsync(new UpdateAgentRequest { AgentId = agent.Id, Name = "helper-2", Config = { ["model"] = "gpt-4o" } }, auth)).Agent;
        Assert.Equal("helper-2", renamed.Name);
        Assert.Equal("gpt-4o", renamed.Config["model"]);

        var channel = (await k.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "telegram", DisplayName = "Bot", Config = { ["api_base_url"] = KernelHost.UnreachablePlatformUrl }, Credentials = { ["bot_token"] = KernelHost.SampleBotToken } }, auth)).Channel;
        var binding = (await k.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id, ChannelId = channel.Id }, auth)).Binding;
        Assert.Equal(channel.Id, binding.ChannelId);
        await RpcAssert.ThrowsAsync(StatusCode.AlreadyExists, () => k.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id, ChannelId = channel.Id }, auth).ResponseAsync);
        var bindings = await k.Admin.ListAgentBindingsAsync(new ListAgentBindingsRequest { AgentId = agent.Id }, auth);
        Assert.Single(bindings.Bindings);

        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => k.Admin.DeleteAgentAsync(new DeleteAgentRequest { AgentId = agent.Id }, auth).ResponseAsync, "force");
        await k.Admin.DeleteAgentAsync(new DeleteAgentRequest { AgentId = agent.Id, Force = true }, auth);
        Assert.Empty((await k.Admin.ListAgentBindingsAsync(new ListAgentBindingsRequest(), auth)).Bindings);
    }

    [SkippableFact]
    public async Task Customers_are_listed_and_read_with_their_identities()
    {
        var k = Kernel;
        var (_, key) = await k.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var resolved = await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest
        {
            Identity = new ExternalIdentityKey { Provider = "slack", IdentityType = "user_id", Value = "U123" },
            DisplayName = "Ada",
        }, auth);
        var customers = await k.Admin.ListCustomersAsync(new ListCustomersRequest(), auth);
        Assert.Equal([resolved.Customer.Id], customers.Customers.Select(c => c.Id));
        var detail = await k.Admin.GetCustomerAsync(new AdminGetCustomerRequest { CustomerId = resolved.Customer.Id }, auth);
        Assert.Equal("Ada", detail.Customer.DisplayName);
        Assert.Equal("U123", Assert.Single(detail.Identities).Value);
    }

    [SkippableFact]
    public async Task ListPlugins_reports_the_plugins_of_plugins_json_and_ReloadPlugins_keeps_them()
    {
        var k = Kernel;
        var plugins = await k.Admin.ListPluginsAsync(new ListPluginsRequest(), k.AdminAuth);
        var echo = Assert.Single(plugins.Plugins, p => p.Name == "echo");
        Assert.Equal(PluginState.Loaded, echo.State);
        Assert.Contains("echo", echo.AgentKinds);
        Assert.Contains(plugins.Plugins, p => p.Name == "telegram" && p.ChannelKinds.Contains("telegram"));
        var reloaded = await k.Admin.ReloadPluginsAsync(new ReloadPluginsRequest(), k.AdminAuth);
        Assert.Equal(plugins.Plugins.Select(p => p.Name).Order(), reloaded.Plugins.Select(p => p.Name).Order());
    }

    private static async Task<(string Credentials, string Secret)> ReadChannelSecretsAsync(KernelHost k, string channelId)
    {
        const string sql = "SELECT credentials_ciphertext, webhook_secret_ciphertext FROM channels WHERE id = @id";
        if (k.Database.ConnectionString is { } pg)
        {
            await using var connection = new NpgsqlConnection(pg);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("id", channelId);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            return (reader.GetString(0), reader.GetString(1));
        }

        await using var sqlite = new SqliteConnection($"Data Source={Path.Combine(k.DataDirectory, "clawscale.db")}");
        await sqlite.OpenAsync();
        await using var cmd = sqlite.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("@id", channelId);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return (r.GetString(0), r.GetString(1));
    }
}

public sealed class AdminServiceSqliteTests(SqliteKernelFixture fixture) : AdminServiceTests(fixture), IClassFixture<SqliteKernelFixture>;

public sealed class AdminServicePostgresTests(PostgresKernelFixture fixture) : AdminServiceTests(fixture), IClassFixture<PostgresKernelFixture>;
