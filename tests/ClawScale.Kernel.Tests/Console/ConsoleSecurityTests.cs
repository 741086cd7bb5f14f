using System.Net;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Console;

/// <summary>
/// What a browser hides: status codes of tenant isolation by URL editing, anti-forgery refusals, cookie attributes,
/// sign-in refusals. Plain HTTP against the real kernel and database.
/// </summary>
public sealed class ConsoleSecurityTests
{
    [Fact]
    public async Task A_tenant_admin_editing_urls_to_another_tenants_ids_gets_404_and_sees_nothing()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, keyA) = await kernel.CreateTenantAsync();
        var (tenantB, keyB) = await kernel.CreateTenantAsync();
        var channelB = await ConsoleTestKit.EchoOverWebhookAsync(kernel, keyB, KernelHost.UnreachablePlatformUrl + "/cb", "Secret project B");
        var agentB = (await kernel.Admin.ListAgentsAsync(new ListAgentsRequest(), KernelHost.Auth(keyB))).Agents.Single();

        using var http = new ConsoleHttp(kernel.HttpAddress);
        Assert.Equal(HttpStatusCode.Redirect, await http.SignInAsync(keyA));
        foreach (var path in new[] { "/console/channels/" + channelB.Id, "/console/agents/" + agentB.Id, "/console/customers/" + agentB.Id, "/console/conversations/" + channelB.Id })
        {
            var (status, body) = await http.GetPageAsync(path);
            Assert.True(status == HttpStatusCode.NotFound, $"{path} answered {status}");
            Assert.DoesNotContain("Secret project B", body, StringComparison.Ordinal);
            Assert.DoesNotContain(tenantB.DisplayName, body, StringComparison.Ordinal);
        }

        var token = await http.TokenAsync("/console/channels");
        using (var select = await http.PostAsync("/console/tenants/select", new Dictionary<string, string> { ["__csrf"] = token, ["tenant_id"] = tenantB.Id }))
            Assert.Equal(HttpStatusCode.NotFound, select.StatusCode);
        using (var delete = await http.PostAsync($"/console/channels/{channelB.Id}/delete", new Dictionary<string, string> { ["__csrf"] = token }))
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(channelB.Id, (await kernel.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = channelB.Id }, kernel.AdminAuth)).Channel.Id);

        var (_, list) = await http.GetPageAsync("/console/channels");
        Assert.DoesNotContain("Secret project B", list, StringComparison.Ordinal);
        var (pluginsStatus, _) = await http.GetPageAsync("/console/plugins");
        Assert.Equal(HttpStatusCode.Forbidden, pluginsStatus);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_post_without_the_anti_forgery_token_is_refused_and_changes_nothing()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        using var http = new ConsoleHttp(kernel.HttpAddress);
        Assert.Equal(HttpStatusCode.Redirect, await http.SignInAsync(kernel.AdminKey));

        using (var forged = await http.PostAsync("/console/tenants", new Dictionary<string, string> { ["slug"] = "forged", ["display_name"] = "Forged" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Contains("reload the page and submit it again", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var wrong = await http.PostAsync("/console/tenants", new Dictionary<string, string> { ["__csrf"] = "CfDJ8forged", ["slug"] = "forged", ["display_name"] = "Forged" }))
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Empty((await kernel.Admin.ListTenantsAsync(new ListTenantsRequest(), kernel.AdminAuth)).Tenants);
        Assert.Equal(2, kernel.Logs.Entries.Count(e => e.EventId.Id == 1503));

        var token = await http.TokenAsync("/console/tenants");
        using (var real = await http.PostAsync("/console/tenants", new Dictionary<string, string> { ["__csrf"] = token, ["slug"] = "real", ["display_name"] = "Real" }))
            Assert.Equal(HttpStatusCode.Redirect, real.StatusCode);
        Assert.Single((await kernel.Admin.ListTenantsAsync(new ListTenantsRequest(), kernel.AdminAuth)).Tenants);
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_SameSite_Strict_holds_no_key_and_sign_out_ends_the_session()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        using var http = new ConsoleHttp(kernel.HttpAddress);
        Assert.Equal(HttpStatusCode.Redirect, await http.SignInAsync(kernel.AdminKey));
        var session = Assert.Single(http.SignInCookies, c => c.StartsWith("clawscale_console=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/console", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(kernel.AdminKey, session, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetPageAsync("/console/tenants")).Status);

        var token = await http.TokenAsync("/console/tenants");
        using (var signOut = await http.PostAsync("/console/signout", new Dictionary<string, string> { ["__csrf"] = token }))
            Assert.Equal("/console/signin", signOut.Headers.Location?.ToString());
        using var after = await http.GetAsync("/console/tenants");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/console/signin", after.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Sign_in_refuses_unknown_and_runtime_keys_with_a_message_and_the_api_answers_a_bad_form_with_its_reason()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (tenant, key) = await kernel.CreateTenantAsync();
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, KernelHost.Auth(key))).Agent;
        var runtime = await kernel.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenant.Id, Name = "rt", Scope = ApiKeyScope.Runtime, AgentIds = { agent.Id } }, kernel.AdminAuth);

        using var http = new ConsoleHttp(kernel.HttpAddress);
        Assert.Equal(HttpStatusCode.Unauthorized, await http.SignInAsync("csk_unknown_0123456789abcdef"));
        Assert.Equal(HttpStatusCode.Forbidden, await http.SignInAsync(runtime.Secret));
        Assert.Equal(HttpStatusCode.Redirect, await http.SignInAsync(key));

        var token = await http.TokenAsync("/console/channels/new?kind=webhook");
        using var bad = await http.PostAsync("/console/channels/new", new Dictionary<string, string>
        {
            ["__csrf"] = token, ["kind"] = "webhook", ["display_name"] = "Bad", ["config.callback_url"] = "not a url", ["extra"] = "",
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var body = await bad.Content.ReadAsStringAsync();
        Assert.Contains("callback_url", body, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", body, StringComparison.Ordinal);
        Assert.Contains("value=\"not a url\"", body, StringComparison.Ordinal);
        Assert.Empty((await kernel.Admin.ListChannelsAsync(new ListChannelsRequest(), KernelHost.Auth(key))).Channels);
        Assert.Equal(2, kernel.Logs.Entries.Count(e => e.EventId.Id == 1501));
    }

    [Fact]
    public async Task Over_TLS_the_console_reaches_the_api_through_the_pinned_certificate_and_the_cookie_is_Secure()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(Directory.CreateTempSubdirectory("clawscale-console-tls-").FullName, "kernel.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pw"));
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?>
        {
            ["ClawScale:Tls:CertificatePath"] = pfx,
            ["ClawScale:Tls:CertificatePassword"] = "pw",
        });
        var thumbprint = certificate.Thumbprint;
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler
        {
            CookieContainer = cookies,
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == thumbprint,
        }) { BaseAddress = kernel.HttpAddress };
        Assert.Equal("https", kernel.HttpAddress.Scheme);
        var form = await client.GetStringAsync(new Uri("/console/signin", UriKind.Relative));
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__csrf\" value=\"([^\"]+)\"").Groups[1].Value;
        using var signIn = await client.PostAsync(new Uri("/console/signin", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = token, ["api_key"] = kernel.AdminKey }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("clawscale_console=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        // The tenants page is answered by AdminService.ListTenants over the loopback TLS connection.
        using var tenants = await client.GetAsync(new Uri("/console/tenants", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, tenants.StatusCode);
        Assert.Contains("No tenants yet", await tenants.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task ListKinds_serves_the_settings_each_kind_declares_to_tenant_admins()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, key) = await kernel.CreateTenantAsync();
        var kinds = await kernel.Admin.ListKindsAsync(new ListKindsRequest(), KernelHost.Auth(key));
        var telegram = kinds.ChannelKinds.Single(k => k.Kind == "telegram");
        var token = telegram.Fields.Single(f => f.Key == "bot_token");
        Assert.True(token.Required && token.Secret);
        Assert.Equal(["webhook", "polling"], telegram.Fields.Single(f => f.Key == "mode").Choices);
        Assert.Equal("webchat", kinds.ChannelKinds[0].Kind);
        // Every channel kind shipped in plugins.json declares its settings, so the console shows a form, not a free box.
        foreach (var kind in new[] { "telegram", "slack", "discord", "webhook", "whatsapp", "evolution", "line", "wecom", "wechat", "mattermost", "teams", "signal", "matrix" })
        {
            var schema = kinds.ChannelKinds.SingleOrDefault(k => k.Kind == kind);
            Assert.True(schema is not null, $"channel kind {kind} is not listed");
            Assert.True(schema.Fields.Any(f => f.Required), $"channel kind {kind} declares no required setting");
        }

        Assert.Contains(kinds.AgentKinds, k => k.Kind == "openai" && k.Fields.Any(f => f.Key == "model" && f.Required));
        Assert.Contains(kinds.AgentKinds, k => k.Kind == "grpc-runtime" && k.Fields.Any(f => f.Key == "endpoint"));
        var plugins = await kernel.Admin.ListPluginsAsync(new ListPluginsRequest(), kernel.AdminAuth);
        Assert.Contains(plugins.Plugins, p => p.ChannelSchemas.Any(s => s.Kind == "slack" && s.Fields.Any(f => f.Key == "signing_secret" && f.Secret)));
    }
}
