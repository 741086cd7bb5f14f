using System.Security.Cryptography;

namespace ClawScale.Kernel.Security;

/// <summary><see cref="ISecretGenerator"/> over <see cref="RandomNumberGenerator"/>.</summary>
internal sealed class SecretGenerator : ISecretGenerator
{
    public string NewToken(int byteCount)
    {
        Span<byte> bytes = stackalloc byte[byteCount];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public string NewDigits(int count) => string.Create(count, 0, static (span, _) =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
    });
}
