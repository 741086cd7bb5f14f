using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace ClawScale.Kernel.Security;

/// <summary>
/// Encrypts credentials and webhook secrets at rest with ASP.NET Core Data Protection (AES-256-CBC + HMAC-SHA256,
/// keys rotated every 90 days, key ring in <c>ClawScale:KeysDirectory</c>).
/// </summary>
internal sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("ClawScale.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string ciphertext) => _protector.Unprotect(ciphertext);

    public string ProtectMap(IReadOnlyDictionary<string, string> values) =>
        values.Count == 0 ? string.Empty : _protector.Protect(JsonSerializer.Serialize(values));

    public Dictionary<string, string> UnprotectMap(string ciphertext) =>
        string.IsNullOrEmpty(ciphertext)
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(ciphertext)) ?? [];
}
