using ClawScale.Plugins.Shared;
using Xunit;

namespace ClawScale.Plugins.Agents.Tests.Shared;

public sealed class ProviderErrorsTests
{
    [Theory]
    [InlineData("{\"error\":{\"message\":\"m\",\"type\":\"t\",\"param\":null,\"code\":\"c\"}}", "t", "c", "m")]
    [InlineData("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", "overloaded_error", null, "Overloaded")]
    [InlineData("{\"error\":\"model 'llama9' not found\"}", null, null, "model 'llama9' not found")]
    [InlineData("<html>Bad Gateway</html>", null, null, null)]
    public void Parses_both_envelopes(string body, string? type, string? code, string? message) =>
        Assert.Equal((type, code, message), ProviderErrors.ParseErrorBody(body));

    [Theory]
    [InlineData(401, null, (int)ProviderFailure.Misconfigured)]
    [InlineData(404, null, (int)ProviderFailure.Misconfigured)]
    [InlineData(429, "rate_limit_error", (int)ProviderFailure.RateLimited)]
    [InlineData(529, "overloaded_error", (int)ProviderFailure.Unavailable)]
    [InlineData(503, null, (int)ProviderFailure.Unavailable)]
    [InlineData(400, "invalid_request_error", (int)ProviderFailure.Rejected)]
    [InlineData(429, "insufficient_quota", (int)ProviderFailure.Misconfigured)]
    public void Classifies_status_and_type(int status, string? type, int expected) =>
        Assert.Equal((ProviderFailure)expected, ProviderErrors.Classify(status, type));

    [Fact]
    public void Response_error_redacts_the_key_and_reports_host_only()
    {
        var error = ProviderErrors.FromResponse("X API", new Uri("https://api.example.com/v1/chat/completions"), 401, "Unauthorized",
            "{\"error\":{\"message\":\"bad key sk-secret-123\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}", "sk-secret-123");
        Assert.Equal("X API at https://api.example.com answered HTTP 401 (invalid_request_error/invalid_api_key): bad key [redacted]", error.Message);
        Assert.Contains("misconfigured", error.UserMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><body>internal admin panel: db_password=hunter2-secret</body></html>")]
    [InlineData("{\"detail\":\"db_password=hunter2-secret\"}")]
    [InlineData("db_password=hunter2-secret")]
    public void A_body_without_a_documented_error_field_is_not_echoed(string body)
    {
        var error = ProviderErrors.FromResponse("X API", new Uri("http://10.0.0.7:8080/v1/chat/completions"), 403, "Forbidden", body, null);
        Assert.Equal("X API at http://10.0.0.7:8080 answered HTTP 403 Forbidden", error.Message);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reason_phrase_is_trimmed_to_printable_characters()
    {
        var error = ProviderErrors.FromResponse("X API", null, 418, "I'm a teapot\r\n" + new string('x', 200), string.Empty, null);
        Assert.Equal("X API at (unknown endpoint) answered HTTP 418 I'm a teapot" + new string('x', 48), error.Message);
    }

    [Fact]
    public void A_redirect_is_a_misconfiguration_naming_base_url()
    {
        var error = ProviderErrors.FromResponse("X API", new Uri("https://api.example.com/v1/chat/completions"), 301, "Moved Permanently", "<a href=\"https://elsewhere\">", null);
        Assert.Equal("X API at https://api.example.com answered HTTP 301 Moved Permanently; redirects are not followed: set config.base_url to the final URL", error.Message);
        Assert.Contains("misconfigured", error.UserMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_error_event_is_quoted_by_its_documented_fields_only()
    {
        Assert.Equal("X API reported an error in the middle of its streamed answer",
            ProviderErrors.FromStreamError("X API", "{\"weird\":\"db_password=hunter2-secret\"}", null).Message);
        Assert.Equal("X API reported an error in the middle of its streamed answer (overloaded_error): Overloaded",
            ProviderErrors.FromStreamError("X API", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", null).Message);
    }
}
