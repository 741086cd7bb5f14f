using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClawScale.Plugins.Slack;

/// <summary>
/// Slack's request signing (Slack docs "Verifying requests from Slack"): <c>X-Slack-Signature: v0=&lt;hex&gt;</c>, the
/// HMAC-SHA256, keyed with the app's signing secret, of <c>v0:{X-Slack-Request-Timestamp}:{raw body}</c>; requests
/// whose timestamp is more than 5 minutes from now are refused as possible replays.
/// </summary>
public static class SlackSignature
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-Slack-Signature";

    /// <summary>The timestamp header (Unix seconds).</summary>
    public const string TimestampHeader = "X-Slack-Request-Timestamp";

    /// <summary>Computes <c>v0=&lt;lower-case hex&gt;</c> for a request.</summary>
    /// <param name="signingSecret">The app's signing secret.</param>
    /// <param name="timestamp">The X-Slack-Request-Timestamp value, as sent.</param>
    /// <param name="body">The raw body.</param>
    /// <returns>The expected header value.</returns>
    public static string Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(signingSecret);
        ArgumentNullException.ThrowIfNull(timestamp);
        var prefix = Encoding.UTF8.GetBytes("v0:" + timestamp + ":");
        var data = new byte[prefix.Length + body.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), data);
        return "v0=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// Verifies a request: both headers present, the timestamp within <paramref name="tolerance"/> of
    /// <paramref name="now"/>, and the signature equal to the expected one (constant-time comparison).
    /// </summary>
    /// <param name="headers">The request headers (case-insensitive look-ups).</param>
    /// <param name="body">The raw body.</param>
    /// <param name="signingSecret">The app's signing secret.</param>
    /// <param name="now">When the request was received.</param>
    /// <param name="tolerance">The replay window (Slack: 5 minutes).</param>
    /// <param name="failure">Why verification failed (never contains a secret), or null.</param>
    /// <returns>True when the request is authentic and fresh.</returns>
    public static bool Verify(IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, string signingSecret, DateTimeOffset now, TimeSpan tolerance, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (string.IsNullOrEmpty(signingSecret))
        {
            failure = "the channel has no credentials.signing_secret, so Slack's signature cannot be checked";
            return false;
        }

        if (!TryGet(headers, TimestampHeader, out var timestamp) || !TryGet(headers, SignatureHeader, out var signature))
        {
            failure = "missing X-Slack-Signature or X-Slack-Request-Timestamp";
            return false;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            failure = "X-Slack-Request-Timestamp is not Unix seconds";
            return false;
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if ((now - sent).Duration() > tolerance)
        {
            failure = $"X-Slack-Request-Timestamp is more than {tolerance.TotalMinutes:0} minutes from the time of receipt (replay or clock skew)";
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(signingSecret, timestamp, body));
        var presented = Encoding.UTF8.GetBytes(signature.Trim());
        if (!CryptographicOperations.FixedTimeEquals(expected, presented))
        {
            failure = "X-Slack-Signature does not match (wrong signing secret or altered body)";
            return false;
        }

        failure = null;
        return true;
    }

    private static bool TryGet(IReadOnlyDictionary<string, string> headers, string name, out string value)
    {
        if (headers.TryGetValue(name, out var found) || (found = headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value) is not null)
        {
            value = found;
            return !string.IsNullOrWhiteSpace(found);
        }

        value = string.Empty;
        return false;
    }
}
