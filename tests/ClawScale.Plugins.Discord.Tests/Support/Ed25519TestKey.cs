using System.Text;
using ClawScale.Plugins.Channels;
using NSec.Cryptography;

namespace ClawScale.Plugins.Discord.Tests.Support;

/// <summary>An Ed25519 key pair generated for the test, standing in for the application's key, that signs interactions like Discord.</summary>
public sealed class Ed25519TestKey
{
    // The private key is kept as its raw 32-byte seed (exported once) so the test key owns nothing disposable;
    // each Sign imports it into a short-lived NSec Key.
    private readonly byte[] _privateKey;

    public Ed25519TestKey()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        _privateKey = key.Export(KeyBlobFormat.RawPrivateKey);
        PublicKeyHex = Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public string PublicKeyHex { get; }

    public string Sign(string timestamp, byte[] body)
    {
        var message = Encoding.UTF8.GetBytes(timestamp).Concat(body).ToArray();
        using var key = Key.Import(SignatureAlgorithm.Ed25519, _privateKey, KeyBlobFormat.RawPrivateKey);
        return Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(key, message));
    }

    /// <summary>A webhook request as Discord sends it: signed over timestamp + body, unless <paramref name="signature"/> overrides.</summary>
    public WebhookRequest Request(string body, string timestamp = "1735732800", string? signature = null, bool withHeaders = true)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" };
        if (withHeaders)
        {
            headers["x-signature-ed25519"] = signature ?? Sign(timestamp, bytes);
            headers["x-signature-timestamp"] = timestamp;
        }

        return new WebhookRequest { Method = "POST", Headers = headers, Body = bytes, ReceivedAt = DateTimeOffset.UtcNow };
    }
}
