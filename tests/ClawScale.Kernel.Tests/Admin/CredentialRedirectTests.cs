using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClawScale.Kernel.Tests.Channels;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Kernel.Tests.Runtime;
using ClawScale.Plugins.Channels;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Kernel.Tests.Admin;

/// <summary>
/// Issue 11, "Stored credentials can be read back by redirecting them", through the real host over HTTP/2 with every
/// shipped kind that has credentials. Each case creates the channel or agent pointed at one recording listener (the
/// real endpoint) and then: (1) changing its endpoint to a second listener (the attacker's) without the credentials is
/// INVALID_ARGUMENT naming the key, and nothing is stored; (2) changing a non-endpoint key alone is OK and keeps the
/// credentials, which the kernel goes on sending to the old address while the attacker's listener receives nothing;
/// (3) changing the endpoint with the credentials given again is OK, and the new address receives only the new ones.
/// </summary>
public sealed class CredentialRedirectTests
{
    private const string WebhookSecret = "whsec-cred-0123456789abcdef0123456789";

    public static TheoryData<string> Cases => new(RedirectCase.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_endpoint_change_needs_the_credentials_again_and_never_carries_the_stored_ones(string name)
    {
        var c = RedirectCase.All[name];
        await using var k = await KernelHost.StartAsync(TestDatabase.Sqlite());
        await using var real = await RecordingServer.StartAsync(c.Http2, c.Status, c.ResponseBody);
        await using var attacker = await RecordingServer.StartAsync(c.Http2, c.Status, c.ResponseBody);
        var target = await Target.CreateAsync(k, c, real);
        var original = await target.GetAsync();
        Assert.Equal(c.OldCredentials.Keys.Order(StringComparer.Ordinal), original.CredentialKeys);

        // 1. The endpoint alone (and the other refused variants): INVALID_ARGUMENT naming the key, nothing stored.
        var endpointOnly = new Dictionary<string, string> { [c.EndpointKey] = c.Endpoint(attacker) };
        var ex = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => target.UpdateAsync(endpointOnly, []), "config." + c.EndpointKey);
        Assert.Contains($"send credentials again in the same {target.Rpc} call", ex.Status.Detail, StringComparison.Ordinal);
        foreach (var key in c.OldCredentials.Keys) Assert.Contains("credentials." + key, ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(c.OldSecret, ex.Status.Detail, StringComparison.Ordinal);
        foreach (var refusal in c.MoreRefusals(attacker))
            await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => target.UpdateAsync(refusal.Config, refusal.Credentials), refusal.MessageContains);
        var unchanged = await target.GetAsync();
        Assert.Equal(original.Config, unchanged.Config);
        Assert.Equal(original.CredentialKeys, unchanged.CredentialKeys);

        // 2. A non-endpoint key alone: OK, credentials kept and still used at the old address only.
        var seenAtReal = real.Requests.Count;
        await target.UpdateAsync(new Dictionary<string, string> { [c.OtherKey] = c.OtherValue }, []);
        var afterOther = await target.GetAsync();
        Assert.Equal(c.OtherValue, afterOther.Config[c.OtherKey]);
        Assert.Equal(c.Endpoint(real), afterOther.Config[c.EndpointKey]);
        Assert.Equal(original.CredentialKeys, afterOther.CredentialKeys);
        await target.ProvokeAsync("2");
        await Eventually.TrueAsync(() => real.Requests.Skip(seenAtReal).Any(r => c.Carries(r, c.OldSecret)),
            $"a {c.Kind} request carrying the stored credentials at the old address");
        Assert.Empty(attacker.Requests);

        // 3. The endpoint with the credentials given again: OK; the new address sees the new credentials, never the old.
        await target.UpdateAsync(endpointOnly, c.NewCredentials);
        var moved = await target.GetAsync();
        Assert.Equal(c.Endpoint(attacker), moved.Config[c.EndpointKey]);
        Assert.Equal(c.NewCredentials.Keys.Order(StringComparer.Ordinal), moved.CredentialKeys);
        await target.ProvokeAsync("3");
        await Eventually.TrueAsync(() => attacker.Requests.Any(r => c.Carries(r, c.NewSecret)),
            $"a {c.Kind} request carrying the new credentials at the new address");
        foreach (var request in attacker.Requests)
        {
            Assert.False(c.Carries(request, c.OldSecret), $"The new address received the stored credential: {request.Method} {request.PathAndQuery}");
            foreach (var value in c.OldCredentials.Values) Assert.DoesNotContain(value, request.Text, StringComparison.Ordinal);
        }

        // The listeners answer 503, so the channel (the only one of this kernel) reports that it cannot connect.
        k.AssertNoUnexpectedErrors(m => m.Contains("channel cannot connect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_the_factory_declares_counts_whatever_its_name_and_an_undeclared_url_value_counts_too()
    {
        await using var k = await KernelHost.StartAsync(TestDatabase.Sqlite(), services: s => s.AddSingleton<IChannelAdapterFactory, DeclaringChannelFactory>());
        var (_, key) = await k.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var channel = (await k.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = DeclaringChannelFactory.KindName,
            DisplayName = "Relay",
            Config = { ["region"] = "eu", ["label"] = "a" },
            Credentials = { ["secret"] = "s1-0123456789" },
        }, auth)).Channel;

        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument,
            () => k.Admin.UpdateChannelAsync(new UpdateChannelRequest { ChannelId = channel.Id, Config = { ["region"] = "us" } }, auth).ResponseAsync,
            "config.region: changes where this channel sends its credentials");
        // A key the plugin did not declare, named like nothing in particular, but holding a URL (a third-party plugin
        // that declares nothing is still covered).
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument,
            () => k.Admin.UpdateChannelAsync(new UpdateChannelRequest { ChannelId = channel.Id, Config = { ["relay"] = "https://attacker.example" } }, auth).ResponseAsync,
            "config.relay");
        await k.Admin.UpdateChannelAsync(new UpdateChannelRequest { ChannelId = channel.Id, Config = { ["label"] = "b" } }, auth);
        var moved = (await k.Admin.UpdateChannelAsync(new UpdateChannelRequest
        {
            ChannelId = channel.Id,
            Config = { ["region"] = "us" },
            Credentials = { ["secret"] = "s2-0123456789" },
        }, auth)).Channel;
        Assert.Equal("us", moved.Config["region"]);
        Assert.Equal("b", moved.Config["label"]);
        Assert.Equal(["secret"], moved.CredentialKeysSet);
        k.AssertNoUnexpectedErrors();
    }

    /// <summary>A built-in channel kind that declares a key not named like an endpoint (<c>region</c>), as a plugin may.</summary>
    private sealed class DeclaringChannelFactory : IChannelAdapterFactory
    {
        public const string KindName = "declaring";

        private readonly CountingChannelFactory _inner = new(TimeProvider.System);

        public string Kind => KindName;

        public IReadOnlyCollection<string> EndpointConfigKeys => ["region"];

        public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials) => [];

        public IChannelAdapter Create(ChannelContext context) => _inner.Create(context);
    }

    /// <summary>One kind under test: how it is created, which key is its endpoint, and how its credential shows on the wire.</summary>
    internal sealed record RedirectCase
    {
        public required string Kind { get; init; }
        public bool IsAgent { get; init; }
        public required string EndpointKey { get; init; }
        public required Func<RecordingServer, string> Endpoint { get; init; }
        public Dictionary<string, string> Config { get; init; } = [];
        public required Dictionary<string, string> OldCredentials { get; init; }
        public required Dictionary<string, string> NewCredentials { get; init; }

        /// <summary>The credential whose presence on the wire is checked.</summary>
        public required string SecretKey { get; init; }
        public required string OtherKey { get; init; }
        public required string OtherValue { get; init; }
        public bool Http2 { get; init; }
        public int Status { get; init; } = 503;
        public string ResponseBody { get; init; } = "{}";

        /// <summary>Whether a recorded request carries a credential value: literally by default.</summary>
        public Func<RecordedRequest, string, bool> Carries { get; init; } = (request, secret) => request.Text.Contains(secret, StringComparison.Ordinal);

        /// <summary>More updates that must be refused, each with a text its message must contain.</summary>
        public Func<RecordingServer, IEnumerable<(Dictionary<string, string> Config, Dictionary<string, string> Credentials, string MessageContains)>> MoreRefusals { get; init; } = _ => [];

        public string OldSecret => OldCredentials[SecretKey];
        public string NewSecret => NewCredentials[SecretKey];

        public static IReadOnlyDictionary<string, RedirectCase> All { get; } = new[]
        {
            new RedirectCase
            {
                Kind = "telegram",
                EndpointKey = "api_base_url",
                Endpoint = r => r.BaseUrl,
                Config = new Dictionary<string, string> { ["mode"] = "polling" },
                OldCredentials = new Dictionary<string, string> { ["bot_token"] = "111111111:AAOldOldOldOldOldOldOldOld1" },
                NewCredentials = new Dictionary<string, string> { ["bot_token"] = "222222222:AANewNewNewNewNewNewNewNew2" },
                SecretKey = "bot_token",
                OtherKey = "polling_timeout_seconds",
                OtherValue = "10",
                // Removing the endpoint (back to api.telegram.org) is a change too.
                MoreRefusals = _ => [(new() { ["api_base_url"] = string.Empty }, [], "config.api_base_url")],
            },
            new RedirectCase
            {
                Kind = "slack",
                EndpointKey = "api_base_url",
                Endpoint = r => r.BaseUrl + "/api/",
                OldCredentials = new Dictionary<string, string> { ["bot_token"] = "xoxb-old-1111-aaaa", ["signing_secret"] = "old-signing-secret-1111" },
                NewCredentials = new Dictionary<string, string> { ["bot_token"] = "xoxb-new-2222-bbbb", ["signing_secret"] = "new-signing-secret-2222" },
                SecretKey = "bot_token",
                OtherKey = "request_timeout_seconds",
                OtherValue = "20",
                // Some credentials again is not enough: every stored one must be given (or removed).
                MoreRefusals = r => [(new() { ["api_base_url"] = r.BaseUrl + "/api/" }, new() { ["bot_token"] = "xoxb-new-2222-bbbb" }, "(credentials.signing_secret)")],
            },
            new RedirectCase
            {
                Kind = "discord",
                EndpointKey = "api_base_url",
                Endpoint = r => r.BaseUrl + "/api/v10",
                OldCredentials = new Dictionary<string, string> { ["bot_token"] = "OLDdiscordToken.1111.aaaa" },
                NewCredentials = new Dictionary<string, string> { ["bot_token"] = "NEWdiscordToken.2222.bbbb" },
                SecretKey = "bot_token",
                OtherKey = "request_timeout_seconds",
                OtherValue = "20",
                // A Gateway URL set for the first time is a change too.
                MoreRefusals = r => [(new() { ["gateway_url"] = "ws://" + r.Address.Authority + "/" }, [], "config.gateway_url")],
            },
            new RedirectCase
            {
                Kind = "webhook",
                EndpointKey = "callback_url",
                Endpoint = r => r.BaseUrl + "/callback",
                OldCredentials = new Dictionary<string, string> { ["callback_secret"] = "old-callback-secret-1111" },
                NewCredentials = new Dictionary<string, string> { ["callback_secret"] = "new-callback-secret-2222" },
                SecretKey = "callback_secret",
                OtherKey = "timeout_seconds",
                OtherValue = "20",
                Status = 200,
                ResponseBody = """{"message_id":"recorded"}""",
                // The callback secret never travels itself: a callback "carries" it when it is signed with it.
                Carries = SignedWith,
            },
            new RedirectCase
            {
                Kind = "openai",
                IsAgent = true,
                EndpointKey = "base_url",
                Endpoint = r => r.BaseUrl + "/v1",
                Config = new Dictionary<string, string> { ["model"] = "gpt-4o-mini", ["stream"] = "false" },
                OldCredentials = new Dictionary<string, string> { ["api_key"] = "sk-old-1111-aaaa" },
                NewCredentials = new Dictionary<string, string> { ["api_key"] = "sk-new-2222-bbbb" },
                SecretKey = "api_key",
                OtherKey = "model",
                OtherValue = "gpt-4o",
            },
            new RedirectCase
            {
                Kind = "anthropic",
                IsAgent = true,
                EndpointKey = "base_url",
                Endpoint = r => r.BaseUrl,
                Config = new Dictionary<string, string> { ["model"] = "claude-sonnet-4-5", ["stream"] = "false" },
                OldCredentials = new Dictionary<string, string> { ["api_key"] = "sk-ant-old-1111-aaaa" },
                NewCredentials = new Dictionary<string, string> { ["api_key"] = "sk-ant-new-2222-bbbb" },
                SecretKey = "api_key",
                // Prose that mentions a URL is not an endpoint.
                OtherKey = "system_prompt",
                OtherValue = "Be brief. The manual is at https://docs.example.com/manual.",
            },
            new RedirectCase
            {
                Kind = "grpc-runtime",
                IsAgent = true,
                EndpointKey = "endpoint",
                Endpoint = r => r.BaseUrl,
                Http2 = true,
                OldCredentials = new Dictionary<string, string> { ["token"] = "rt-old-1111-aaaa" },
                NewCredentials = new Dictionary<string, string> { ["token"] = "rt-new-2222-bbbb" },
                SecretKey = "token",
                OtherKey = "timeout_seconds",
                OtherValue = "20",
            },
        }.ToDictionary(c => c.Kind, StringComparer.Ordinal);

        private static bool SignedWith(RecordedRequest request, string secret)
        {
            if (!request.Headers.TryGetValue("X-ClawScale-Timestamp", out var timestamp) || !request.Headers.TryGetValue("X-ClawScale-Signature", out var signature))
                return false;
            var expected = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{request.Body}"))).ToLowerInvariant();
            return signature.Contains("v1=" + expected, StringComparison.Ordinal);
        }
    }

    /// <summary>The channel or agent under test in its own tenant, with what it needs to produce traffic.</summary>
    private sealed class Target
    {
        private readonly KernelHost _kernel;
        private readonly RedirectCase _case;
        private readonly Metadata _auth;
        private readonly string _id;
        private readonly string? _webChatChannelId;
        private readonly string? _webhookPath;

        private Target(KernelHost kernel, RedirectCase c, Metadata auth, string id, string? webChatChannelId, string? webhookPath)
        {
            _kernel = kernel;
            _case = c;
            _auth = auth;
            _id = id;
            _webChatChannelId = webChatChannelId;
            _webhookPath = webhookPath;
        }

        public string Rpc => _case.IsAgent ? "UpdateAgent" : "UpdateChannel";

        public static async Task<Target> CreateAsync(KernelHost k, RedirectCase c, RecordingServer endpoint)
        {
            var (_, key) = await k.CreateTenantAsync();
            var auth = KernelHost.Auth(key);
            if (c.IsAgent)
            {
                var request = new CreateAgentRequest { Name = c.Kind, Kind = c.Kind, Config = { c.Config }, Credentials = { c.OldCredentials } };
                request.Config[c.EndpointKey] = c.Endpoint(endpoint);
                var agent = (await k.Admin.CreateAgentAsync(request, auth)).Agent;
                await k.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
                var web = (await k.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Web" }, auth)).Channel;
                return new Target(k, c, auth, agent.Id, web.Id, null);
            }

            string? webhookPath = null;
            var create = new CreateChannelRequest { Kind = c.Kind, DisplayName = c.Kind, Config = { c.Config }, Credentials = { c.OldCredentials } };
            create.Config[c.EndpointKey] = c.Endpoint(endpoint);
            if (c.Kind == "webhook")
            {
                // Replies need an agent: the echo agent, bound tenant-wide.
                var echo = (await k.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
                await k.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = echo.Id }, auth);
                create.WebhookSecret = WebhookSecret;
            }

            var channel = (await k.Admin.CreateChannelAsync(create, auth)).Channel;
            if (c.Kind == "webhook") webhookPath = channel.WebhookPath;
            return new Target(k, c, auth, channel.Id, null, webhookPath);
        }

        public async Task UpdateAsync(Dictionary<string, string> config, Dictionary<string, string> credentials)
        {
            if (_case.IsAgent)
                await _kernel.Admin.UpdateAgentAsync(new UpdateAgentRequest { AgentId = _id, Config = { config }, Credentials = { credentials } }, _auth);
            else
                await _kernel.Admin.UpdateChannelAsync(new UpdateChannelRequest { ChannelId = _id, Config = { config }, Credentials = { credentials } }, _auth);
        }

        public async Task<(Dictionary<string, string> Config, List<string> CredentialKeys)> GetAsync()
        {
            if (_case.IsAgent)
            {
                var agent = (await _kernel.Admin.GetAgentAsync(new GetAgentRequest { AgentId = _id }, _auth)).Agent;
                return (agent.Config.ToDictionary(StringComparer.Ordinal), agent.CredentialKeysSet.Order(StringComparer.Ordinal).ToList());
            }

            var channel = (await _kernel.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = _id }, _auth)).Channel;
            return (channel.Config.ToDictionary(StringComparer.Ordinal), channel.CredentialKeysSet.Order(StringComparer.Ordinal).ToList());
        }

        /// <summary>
        /// Makes the kernel use the credentials: a web chat message for agents, a signed inbound message (answered by
        /// the echo agent through the callback) for the webhook channel. Telegram, Slack and Discord connect by
        /// themselves after every create and update.
        /// </summary>
        public async Task ProvokeAsync(string n)
        {
            using var http = new HttpClient { BaseAddress = _kernel.HttpAddress };
            if (_webChatChannelId is not null)
            {
                await DialOutRuntimeTests.PostAsync(http, _webChatChannelId, $"visitorCRED{n}AAAAAAAAAAAAAAAA", "hello " + n, "m" + n);
            }
            else if (_webhookPath is not null)
            {
                var body = JsonSerializer.Serialize(new { id = "msg-" + n, chat_id = "chat-" + n, sender = new { id = "user-" + n, name = "Ada" }, text = "hello " + n });
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                var signature = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"))).ToLowerInvariant();
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_webhookPath, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("X-ClawScale-Timestamp", timestamp);
                request.Headers.Add("X-ClawScale-Signature", "v1=" + signature);
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }
        }
    }
}
