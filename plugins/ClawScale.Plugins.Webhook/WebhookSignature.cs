using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClawScale.Plugins.Webhook;

/// <summary>
/// The signature scheme of both directions: <c>X-ClawScale-Timestamp: &lt;unix seconds&gt;</c> and
/// <c>X-ClawScale-Signature: v1=&lt;lower-case hex HMAC-SHA256 of "{timestamp}.{raw body}"&gt;</c> keyed with the
/// UTF-8 bytes of the secret (the same construction as Stripe's and Slack's signatures, with a 5-minute window).
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header carrying the unix time in seconds at which the call was signed.</summary>
    public const string TimestampHeader = "X-ClawScale-Timestamp";

    /// <summary>The header carrying <c>v1=&lt;hex&gt;</c>; several comma-separated values are allowed (secret rotation).</summary>
    public const string SignatureHeader = "X-ClawScale-Signature";

    /// <summary>The scheme prefix of a signature value.</summary>
    public const string SchemePrefix = "v1=";

    /// <summary>Computes the header value <c>v1=&lt;hex&gt;</c> for <paramref name="body"/> signed at <paramref name="timestamp"/>.</summary>
    /// <param name="secret">The shared secret (UTF-8).</param>
    /// <param name="timestamp">The unix time in seconds, as sent in <see cref="TimestampHeader"/>.</param>
    /// <param name="body">The exact bytes of the body.</param>
    /// <returns>The <see cref="SignatureHeader"/> value.</returns>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        SchemePrefix + Convert.ToHexStringLower(Mac(secret, timestamp.ToString(CultureInfo.InvariantCulture), body));

    /// <summary>
    /// Verifies a call's signature headers: both present, the timestamp a whole number of seconds within
    /// <paramref name="tolerance"/> of <paramref name="now"/>, and one <c>v1=</c> value equal (constant-time) to the
    /// HMAC of <c>"{timestamp}.{body}"</c>. Reads nothing of the body but its bytes.
    /// </summary>
    /// <param name="headers">The call's headers (names matched case-insensitively).</param>
    /// <param name="body">The raw body.</param>
    /// <param name="secret">The shared secret; an empty secret verifies nothing.</param>
    /// <param name="now">When the call was received.</param>
    /// <param name="tolerance">The largest accepted distance between the timestamp and <paramref name="now"/>.</param>
    /// <param name="reason">Why verification failed (never containing a secret or the expected signature), or null.</param>
    /// <returns>True when the call is authentic and fresh.</returns>
    public static bool Verify(IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (string.IsNullOrEmpty(secret))
        {
            reason = "the channel has no webhook secret; set one with UpdateChannel";
            return false;
        }

        var timestampText = Header(headers, TimestampHeader);
        if (string.IsNullOrWhiteSpace(timestampText))
        {
            reason = $"missing {TimestampHeader} header (unix seconds)";
            return false;
        }

        timestampText = timestampText.Trim();
        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            reason = $"{TimestampHeader} must be the unix time in whole seconds";
            return false;
        }

        var signatures = Header(headers, SignatureHeader);
        if (string.IsNullOrWhiteSpace(signatures))
        {
            reason = $"missing {SignatureHeader} header (v1=<hex HMAC-SHA256>)";
            return false;
        }

        var skewSeconds = Math.Abs((double)now.ToUnixTimeSeconds() - timestamp);
        if (skewSeconds > tolerance.TotalSeconds)
        {
            reason = $"{TimestampHeader} is {skewSeconds:0} s away from the kernel's clock (at most {tolerance.TotalSeconds:0} s allowed); sign each call when sending it and keep clocks in sync";
            return false;
        }

        var expected = Mac(secret, timestampText, body);
        var presented = new byte[expected.Length];
        var matched = false;
        foreach (var value in signatures.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!value.StartsWith(SchemePrefix, StringComparison.Ordinal) || value.Length != SchemePrefix.Length + (expected.Length * 2))
                continue;
            if (Convert.FromHexString(value.AsSpan(SchemePrefix.Length), presented, out _, out var written) != System.Buffers.OperationStatus.Done || written != expected.Length)
                continue;
            matched |= CryptographicOperations.FixedTimeEquals(presented, expected);
        }

        reason = matched ? null : $"{SignatureHeader} does not match: expected v1=<hex HMAC-SHA256 of \"{{timestamp}}.{{raw body}}\"> keyed with the channel's webhook secret";
        return matched;
    }

    private static byte[] Mac(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static string? Header(IReadOnlyDictionary<string, string> headers, string name)
    {
        if (headers.TryGetValue(name, out var value))
            return value;
        return headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
    }
}
