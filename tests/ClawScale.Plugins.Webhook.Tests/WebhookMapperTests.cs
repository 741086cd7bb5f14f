using System.Globalization;
using ClawScale.Plugins.Channels;
using Xunit;

namespace ClawScale.Plugins.Webhook.Tests;

public class WebhookMapperTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData(" 120 ", 120)]
    [InlineData("Wed, 01 Jan 2025 12:01:30 GMT", 90)]
    [InlineData("Wed, 01 Jan 2025 11:00:00 GMT", 0)]
    public void Retry_after_is_read_as_seconds_or_an_http_date(string value, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), WebhookMapper.ParseRetryAfter(value, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-5")]
    [InlineData("soon")]
    [InlineData("1.5")]
    public void Unreadable_retry_after_is_null(string? value) => Assert.Null(WebhookMapper.ParseRetryAfter(value, Now));

    [Theory]
    [InlineData(200, SendOutcome.Delivered)]
    [InlineData(299, SendOutcome.Delivered)]
    [InlineData(0, SendOutcome.Retry)]
    [InlineData(408, SendOutcome.Retry)]
    [InlineData(429, SendOutcome.Retry)]
    [InlineData(502, SendOutcome.Retry)]
    [InlineData(503, SendOutcome.Retry)]
    [InlineData(301, SendOutcome.PermanentFailure)]
    [InlineData(401, SendOutcome.PermanentFailure)]
    [InlineData(404, SendOutcome.PermanentFailure)]
    [InlineData(422, SendOutcome.PermanentFailure)]
    public void Status_codes_map_to_outcomes(int status, SendOutcome outcome) =>
        Assert.Equal(outcome, WebhookMapper.ToSendResult(new WebhookCallbackResponse { StatusCode = status }, Now).Outcome);

    [Fact]
    public void Retry_after_is_only_taken_from_429_and_503()
    {
        Assert.Null(WebhookMapper.ToSendResult(new WebhookCallbackResponse { StatusCode = 500, RetryAfter = "30" }, Now).RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), WebhookMapper.ToSendResult(new WebhookCallbackResponse { StatusCode = 503, RetryAfter = "30" }, Now).RetryAfter);
    }

    [Fact]
    public void Signature_is_lower_case_hex_of_timestamp_dot_body()
    {
        // Known answer computed with: printf '%s.%s' 1735732800 '{"a":1}' | openssl dgst -sha256 -hmac key -hex
        var body = "{\"a\":1}"u8.ToArray();
        const string expected = "v1=4aed50ed635b2f4b22ab7617fa1bcf73cd0ffee7261f274735b45282161a8a71";
        Assert.Equal(expected, WebhookSignature.Sign("key", 1735732800, body));
        Assert.Equal(expected, Support.TestSignature.Header("key", 1735732800, body));
    }
}
