using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClawScale.Plugins.ChannelTemplate;

/// <summary>
/// Verifies that a webhook call comes from the platform. PLACEHOLDER SCHEME: replace it with the one your platform
/// documents (Slack: <c>v0=</c> HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>; Telegram: a secret token header; Discord:
/// Ed25519). As written: <c>X-Contoso-Timestamp: &lt;unix seconds&gt;</c> and <c>X-Contoso-Signature: v1=&lt;lower-case
/// hex HMAC-SHA256 of "{timestamp}.{raw body}"&gt;</c> keyed with the channel's webhook secret, within
/// <see cref="ContosoOptions.SignatureTolerance"/>. Whatever the scheme: verify over the raw bytes, before parsing,
/// compare in constant time, and refuse stale timestamps (replay protection).
/// </summary>
public static class ContosoSignature
{
    /// <summary>The header with the unix time in seconds at which the platform signed the call.</summary>
    public const string TimestampHeader = "X-Contoso-Timestamp";

    /// <summary>The header with <c>v1=&lt;hex&gt;</c>.</summary>
    public const string SignatureHeader = "X-Contoso-Signature";

    /// <summary>Computes the <see cref="SignatureHeader"/> value for <paramref name="body"/> signed at <paramref name="timestamp"/> (tests and fakes use it).</summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="timestamp">Unix seconds, as sent in <see cref="TimestampHeader"/>.</param>
    /// <param name="body">The exact body bytes.</param>
    /// <returns>The header value.</returns>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>Checks a call's signature headers against its raw body.</summary>
    /// <param name="headers">The call's headers (case-insensitive names).</param>
    /// <param name="body">The raw body.</param>
    /// <param name="secret">The channel's webhook secret; an empty secret verifies nothing.</param>
    /// <param name="now">When the call was received.</param>
    /// <param name="reason">Why verification failed (never a secret or the expected signature), or null.</param>
    /// <returns>True when the call is authentic and fresh.</returns>
    public static bool Verify(IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (string.IsNullOrEmpty(secret))
        {
            reason = "the channel has no webhook secret; set one with UpdateChannel";
            return false;
        }

        if (!headers.TryGetValue(TimestampHeader, out var timestampText) || !long.TryParse(timestampText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            reason = $"missing or malformed {TimestampHeader} header (unix seconds)";
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > ContosoOptions.SignatureTolerance.TotalSeconds)
        {
            reason = $"{TimestampHeader} is more than {ContosoOptions.SignatureTolerance.TotalMinutes:0} minutes from the kernel's clock (replayed or clock skew)";
            return false;
        }

        if (!headers.TryGetValue(SignatureHeader, out var signature) || string.IsNullOrWhiteSpace(signature))
        {
            reason = $"missing {SignatureHeader} header";
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.Trim())))
        {
            reason = $"{SignatureHeader} does not match the body (wrong webhook secret?)";
            return false;
        }

        reason = null;
        return true;
    }
}
