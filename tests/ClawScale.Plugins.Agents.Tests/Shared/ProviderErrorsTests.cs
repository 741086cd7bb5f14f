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
        var error = ProviderErrors.FromResponse("X API", new Uri("https://api.example.com/v1/chat/completions"), 401,
            "{\"error\":{\"message\":\"bad key sk-secret-123\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}", "sk-secret-123");
        Assert.Equal("X API at https://api.example.com answered HTTP 401 (invalid_request_error/invalid_api_key): bad key [redacted]", error.Message);
        Assert.Contains("misconfigured", error.UserMessage, StringComparison.Ordinal);
    }
}
