using System.Security.Cryptography;
using System.Text;

namespace ClawScale.Plugins.Line;

/// <summary>
/// LINE's webhook signature (Messaging API docs "Verify webhook signature"): <c>X-Line-Signature</c> is the Base64 of the
/// HMAC-SHA256 of the raw request body keyed with the channel secret.
/// </summary>
public static class LineSignature
{
    /// <summary>The signature header.</summary>
    public const string Header = "X-Line-Signature";

    /// <summary>Computes the header value for a body.</summary>
    /// <param name="channelSecret">The channel secret.</param>
    /// <param name="body">The raw body.</param>
    /// <returns>The Base64 signature.</returns>
    public static string Compute(string channelSecret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(channelSecret);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(channelSecret), body));
    }

    /// <summary>Verifies the header against the body in constant time.</summary>
    /// <param name="headers">The request headers (case-insensitive look-ups).</param>
    /// <param name="body">The raw body.</param>
    /// <param name="channelSecret">The channel secret.</param>
    /// <param name="failure">Why verification failed (never a secret), or null.</param>
    /// <returns>True when the body was signed with the channel secret.</returns>
    public static bool Verify(IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, string channelSecret, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!headers.TryGetValue(Header, out var presented) || string.IsNullOrWhiteSpace(presented))
        {
            failure = "missing X-Line-Signature: LINE signs every webhook; check that this URL is the channel's Webhook URL";
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(channelSecret, body));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(presented.Trim())))
        {
            failure = "X-Line-Signature does not match the body (wrong credentials.channel_secret or an altered body)";
            return false;
        }

        failure = null;
        return true;
    }
}
