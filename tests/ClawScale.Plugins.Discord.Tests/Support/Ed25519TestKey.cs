using System.Text;
using ClawScale.Plugins.Channels;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace ClawScale.Plugins.Discord.Tests.Support;

/// <summary>An Ed25519 key pair generated for the test, standing in for the application's key, that signs interactions like Discord.</summary>
public sealed class Ed25519TestKey
{
    private readonly Ed25519PrivateKeyParameters _private;

    public Ed25519TestKey()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        _private = (Ed25519PrivateKeyParameters)pair.Private;
        PublicKeyHex = Convert.ToHexStringLower(((Ed25519PublicKeyParameters)pair.Public).GetEncoded());
    }

    public string PublicKeyHex { get; }

    public string Sign(string timestamp, byte[] body)
    {
        var message = Encoding.UTF8.GetBytes(timestamp).Concat(body).ToArray();
        var signer = new Ed25519Signer();
        signer.Init(true, _private);
        signer.BlockUpdate(message, 0, message.Length);
        return Convert.ToHexStringLower(signer.GenerateSignature());
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
