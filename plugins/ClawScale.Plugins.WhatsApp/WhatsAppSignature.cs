using System.Security.Cryptography;
using System.Text;

namespace ClawScale.Plugins.WhatsApp;

/// <summary>
/// Meta's webhook signature (Meta Graph API docs "Webhooks" → "Validate payloads"; WhatsApp Cloud API "Webhooks"):
/// <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 of the raw request body keyed with the app's App Secret.
/// </summary>
public static class WhatsAppSignature
{
    /// <summary>The signature header.</summary>
    public const string Header = "X-Hub-Signature-256";

    /// <summary>Computes <c>sha256=&lt;lower-case hex&gt;</c> for a body.</summary>
    /// <param name="appSecret">The app secret.</param>
    /// <param name="body">The raw body.</param>
    /// <returns>The expected header value.</returns>
    public static string Compute(string appSecret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(appSecret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));
    }

    /// <summary>Verifies the header against the body in constant time (hex digits compared ignoring case).</summary>
    /// <param name="headers">The request headers (case-insensitive look-ups).</param>
    /// <param name="body">The raw body.</param>
    /// <param name="appSecret">The app secret.</param>
    /// <param name="failure">Why verification failed (never a secret), or null.</param>
    /// <returns>True when the body was signed with the app secret.</returns>
    public static bool Verify(IReadOnlyDictionary<string, string> headers, ReadOnlySpan<byte> body, string appSecret, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!headers.TryGetValue(Header, out var presented) || string.IsNullOrWhiteSpace(presented))
        {
            failure = "missing X-Hub-Signature-256: WhatsApp webhooks are signed by Meta; check that this URL is the app's webhook callback URL";
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(appSecret, body));
        var given = Encoding.UTF8.GetBytes(presented.Trim().ToLowerInvariant());
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            failure = "X-Hub-Signature-256 does not match the body (wrong credentials.app_secret or an altered body)";
            return false;
        }

        failure = null;
        return true;
    }
}
