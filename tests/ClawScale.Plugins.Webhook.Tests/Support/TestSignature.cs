using System.Security.Cryptography;
using System.Text;

namespace ClawScale.Plugins.Webhook.Tests.Support;

/// <summary>The README's signature recipe, written independently of the plugin's WebhookSignature.</summary>
public static class TestSignature
{
    public static string Hex(string secret, string timestamp, byte[] body)
    {
        var message = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        return Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message)).ToLowerInvariant();
    }

    public static string Header(string secret, long timestamp, byte[] body) =>
        "v1=" + Hex(secret, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), body);
}
