using System.Text;
using NSec.Cryptography;

namespace ClawScale.Plugins.Discord;

/// <summary>
/// Verifies interaction requests ("Interactions" → "Receiving and Responding" → "Security and Authorization"):
/// <c>X-Signature-Ed25519</c> is the hex Ed25519 signature, by the application's key, of
/// <c>X-Signature-Timestamp</c> followed by the raw body. Ed25519 (RFC 8032) is NSec's
/// <see cref="SignatureAlgorithm.Ed25519"/>, which runs on the native libsodium shipped in the plugin folder
/// (<c>runtimes/&lt;rid&gt;/native/</c>, resolved by the plugin's load context through its deps.json).
/// </summary>
public static class DiscordSignature
{
    /// <summary>The header carrying the hex signature.</summary>
    public const string SignatureHeader = "X-Signature-Ed25519";

    /// <summary>The header carrying the timestamp that is signed with the body.</summary>
    public const string TimestampHeader = "X-Signature-Timestamp";

    /// <summary>Whether <paramref name="signatureHex"/> is a valid signature of timestamp + body under <paramref name="publicKey"/>.</summary>
    /// <param name="publicKey">The application's 32-byte Ed25519 public key.</param>
    /// <param name="timestamp">The <c>X-Signature-Timestamp</c> value.</param>
    /// <param name="body">The raw request body.</param>
    /// <param name="signatureHex">The <c>X-Signature-Ed25519</c> value (128 hex digits).</param>
    /// <returns>True only for a well-formed, valid signature; never throws for malformed input.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="publicKey"/> is null.</exception>
    /// <exception cref="DllNotFoundException">The native libsodium is missing from the plugin folder (a broken build, not bad input).</exception>
    public static bool Verify(byte[] publicKey, string? timestamp, ReadOnlySpan<byte> body, string? signatureHex)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var algorithm = SignatureAlgorithm.Ed25519;
        if (publicKey.Length != algorithm.PublicKeySize || string.IsNullOrEmpty(timestamp)
            || signatureHex is null || signatureHex.Length != 2 * algorithm.SignatureSize || !signatureHex.All(char.IsAsciiHexDigit))
            return false;
        if (!PublicKey.TryImport(algorithm, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null)
            return false;
        var signature = Convert.FromHexString(signatureHex);
        var message = new byte[Encoding.UTF8.GetByteCount(timestamp) + body.Length];
        var written = Encoding.UTF8.GetBytes(timestamp, message);
        body.CopyTo(message.AsSpan(written));
        return algorithm.Verify(key, message, signature);
    }
}
