using System.Security.Cryptography;
using System.Text;

namespace ClawScale.Kernel.Security;

/// <summary>
/// API key secrets: <c>csk_</c> + 43 base64url characters (256 random bits). Stored as SHA-256 only (a fast hash
/// is right for 256-bit random secrets; there is nothing to brute-force), compared in constant time.
/// </summary>
internal static class ApiKeySecrets
{
    public const string SecretPrefix = "csk_";
    public const int DisplayPrefixLength = 12;

    public static string NewSecret(ISecretGenerator generator) => SecretPrefix + generator.NewToken(32);

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static string DisplayPrefix(string secret) => secret[..Math.Min(DisplayPrefixLength, secret.Length)];

    public static bool HashEquals(byte[] a, byte[] b) => CryptographicOperations.FixedTimeEquals(a, b);
}
