using ClawScale.Kernel.Admin;
using Grpc.Core;

namespace ClawScale.Kernel.Tests.Admin;

/// <summary>Which config keys count as endpoints, what counts as a change, and what the refusal says.</summary>
public sealed class CredentialRedirectGuardTests
{
    private static readonly IReadOnlyCollection<string> None = [];

    [Theory]
    [InlineData("endpoint")]
    [InlineData("api_base_url")]
    [InlineData("base_url")]
    [InlineData("callback_url")]
    [InlineData("gateway_url")]
    [InlineData("gatewayUrl")]
    [InlineData("BASE_URL")]
    [InlineData("redirect_uri")]
    [InlineData("smtp_host")]
    [InlineData("hostname")]
    [InlineData("http_proxy")]
    [InlineData("mcp_server")]
    [InlineData("server_address")]
    [InlineData("grpc_endpoint")]
    [InlineData("webhook_urls")]
    [InlineData("upstream_proxies")]
    [InlineData("bootstrap_servers")]
    [InlineData("listen_addresses")]
    public void Keys_named_like_an_endpoint_are_endpoints(string key) =>
        Assert.True(CredentialRedirectGuard.IsEndpointName(key), key);

    [Theory]
    [InlineData("model")]
    [InlineData("system_prompt")]
    [InlineData("mode")]
    [InlineData("bot_username")]
    [InlineData("public_key")]
    [InlineData("application_id")]
    [InlineData("intents")]
    [InlineData("timeout_seconds")]
    [InlineData("allowed_updates")]
    [InlineData("max_concurrent_sends")]
    [InlineData("provider")]
    public void Other_keys_are_not_endpoints_by_name(string key) =>
        Assert.False(CredentialRedirectGuard.IsEndpointName(key), key);

    [Theory]
    [InlineData("https://api.telegram.org", true)]
    [InlineData("  http://127.0.0.1:8081  ", true)]
    [InlineData("wss://gateway.discord.gg/?v=10", true)]
    [InlineData("You are helpful. See https://example.com for details.", false)]
    [InlineData("gpt-4o-mini", false)]
    [InlineData("10.0.0.5:50051", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_value_is_an_endpoint_when_it_is_an_absolute_url(string? value, bool expected) =>
        Assert.Equal(expected, CredentialRedirectGuard.IsUrlValue(value));

    [Fact]
    public void Changed_set_for_the_first_time_and_removed_endpoint_keys_all_count_and_are_sorted()
    {
        var before = Map(("api_base_url", "https://api.telegram.org"), ("gateway_url", "wss://a"), ("mode", "polling"), ("model", "x"));
        var after = Map(("api_base_url", "https://evil.example"), ("mode", "webhook"), ("model", "y"), ("callback_url", "https://c"));

        var changed = CredentialRedirectGuard.ChangedEndpointKeys(before, after, None);

        Assert.Equal(["api_base_url", "callback_url", "gateway_url"], changed);
    }

    [Fact]
    public void The_same_value_again_is_not_a_change()
    {
        var before = Map(("base_url", "https://api.openai.com/v1"), ("model", "a"));
        var after = Map(("base_url", "https://api.openai.com/v1"), ("model", "b"));
        Assert.Empty(CredentialRedirectGuard.ChangedEndpointKeys(before, after, ["base_url"]));
    }

    [Fact]
    public void Declared_keys_count_whatever_their_name_or_value_and_match_exactly()
    {
        var before = Map(("region", "eu"));
        var after = Map(("region", "us"));
        Assert.Equal(["region"], CredentialRedirectGuard.ChangedEndpointKeys(before, after, ["region"]));
        Assert.Empty(CredentialRedirectGuard.ChangedEndpointKeys(before, after, ["Region"]));
        Assert.Empty(CredentialRedirectGuard.ChangedEndpointKeys(before, after, None));
    }

    [Fact]
    public void An_undeclared_key_holding_a_url_before_or_after_is_an_endpoint()
    {
        Assert.Equal(["api"], CredentialRedirectGuard.ChangedEndpointKeys(Map(("api", "https://a.example")), Map(("api", "https://b.example")), None));
        Assert.Equal(["api"], CredentialRedirectGuard.ChangedEndpointKeys(Map(("api", "default")), Map(("api", "https://b.example")), None));
        Assert.Equal(["api"], CredentialRedirectGuard.ChangedEndpointKeys(Map(("api", "https://a.example")), Map(), None));
    }

    [Fact]
    public void Credentials_carried_over_are_those_kept_but_not_given_non_empty()
    {
        var merged = Map(("bot_token", "new"), ("signing_secret", "old"), ("app_token", "old"));
        var given = Map(("bot_token", "new"), ("app_token", ""), ("extra", "x"));
        // app_token given empty would be removed by the merge; here it is still in merged, so it still counts.
        Assert.Equal(["app_token", "signing_secret"], CredentialRedirectGuard.CarriedOverCredentials(merged, given));
        Assert.Empty(CredentialRedirectGuard.CarriedOverCredentials(Map(("bot_token", "new")), given));
    }

    [Fact]
    public void Check_refuses_only_when_an_endpoint_changes_and_stored_credentials_would_follow()
    {
        var before = Map(("api_base_url", "https://slack.com/api/"), ("reply_in_thread", "true"));
        var moved = Map(("api_base_url", "https://evil.example/api/"), ("reply_in_thread", "true"));
        var stored = Map(("bot_token", "xoxb-old"), ("signing_secret", "old"));

        var refused = CredentialRedirectGuard.Check(before, moved, stored, Map(), None);
        Assert.True(refused.Refused);
        Assert.Equal(["api_base_url"], refused.ChangedEndpointKeys);
        Assert.Equal(["bot_token", "signing_secret"], refused.CarriedOverCredentials);

        var partly = CredentialRedirectGuard.Check(before, moved, Map(("bot_token", "xoxb-new"), ("signing_secret", "old")), Map(("bot_token", "xoxb-new")), None);
        Assert.True(partly.Refused);
        Assert.Equal(["signing_secret"], partly.CarriedOverCredentials);

        var resent = Map(("bot_token", "xoxb-new"), ("signing_secret", "new"));
        Assert.False(CredentialRedirectGuard.Check(before, moved, resent, resent, None).Refused);

        // Removing the credentials instead of giving them again: nothing stored to leak.
        Assert.False(CredentialRedirectGuard.Check(before, moved, Map(), Map(("bot_token", ""), ("signing_secret", "")), None).Refused);

        // No stored credentials at all: endpoints may change freely.
        Assert.False(CredentialRedirectGuard.Check(before, moved, Map(), Map(), None).Refused);

        // A non-endpoint change keeps the stored credentials.
        var other = CredentialRedirectGuard.Check(before, Map(("api_base_url", "https://slack.com/api/"), ("reply_in_thread", "false")), stored, Map(), None);
        Assert.False(other.Refused);
        Assert.Empty(other.ChangedEndpointKeys);
    }

    [Fact]
    public void The_refusal_is_invalid_argument_naming_keys_and_credentials_but_no_values()
    {
        var check = new RedirectCheck(["api_base_url", "gateway_url"], ["bot_token"]);

        var ex = CredentialRedirectGuard.Refusal(check, "channel", "UpdateChannel");

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("config.api_base_url, config.gateway_url: change where this channel sends its credentials", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("send credentials again in the same UpdateChannel call (credentials.bot_token)", ex.Status.Detail, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was changed.", ex.Status.Detail, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Map(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
