using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace ClawScale.Plugins.Discord;

/// <summary>
/// Verifies interaction requests ("Interactions" → "Receiving and Responding" → "Security and Authorization"):
/// <c>X-Signature-Ed25519</c> is the hex Ed25519 signature, by the application's key, of
/// <c>X-Signature-Timestamp</c> followed by the raw body.
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
    public static bool Verify(byte[] publicKey, string? timestamp, ReadOnlySpan<byte> body, string? signatureHex)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.Length != 32 || string.IsNullOrEmpty(timestamp) || signatureHex is not { Length: 128 } || !signatureHex.All(char.IsAsciiHexDigit))
            return false;
        try
        {
            var signature = Convert.FromHexString(signatureHex);
            var message = new byte[Encoding.UTF8.GetByteCount(timestamp) + body.Length];
            var written = Encoding.UTF8.GetBytes(timestamp, message);
            body.CopyTo(message.AsSpan(written));
            var verifier = new Ed25519Signer();
            verifier.Init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            verifier.BlockUpdate(message, 0, message.Length);
            return verifier.VerifySignature(signature);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }
}
