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

    /// <summary>
    /// How far <c>X-Signature-Timestamp</c> may be from now, either way: 5 minutes. Discord signs the timestamp with the
    /// body so that receivers can refuse replays; older (or future) requests are refused even when correctly signed.
    /// </summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether <paramref name="timestamp"/> (Unix seconds, as Discord sends it) is within <see cref="MaxClockSkew"/>
    /// of <paramref name="now"/>. False for a missing, non-numeric or out-of-range value; never throws.
    /// </summary>
    /// <param name="timestamp">The <c>X-Signature-Timestamp</c> value.</param>
    /// <param name="now">The receiver's current time (its <see cref="TimeProvider"/>).</param>
    public static bool IsFresh(string? timestamp, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            return false;
        var skew = Math.Abs((double)seconds - now.ToUnixTimeSeconds());
        return skew <= MaxClockSkew.TotalSeconds;
    }

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
