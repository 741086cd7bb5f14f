using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ClawScale.Plugins.Teams.Tests.Fakes;

/// <summary>
/// A test RSA key that signs JWTs the way the Bot Connector does (RS256, header with <c>kid</c> and <c>x5t</c>; Bot
/// Framework docs "Authentication with the Bot Connector API", "Connector to Bot: example JWT components"), and its
/// public JWK with the Bot Framework's extra <c>endorsements</c> property (same doc, "Step 3: Get the list of valid
/// signing keys"). Signing is written out here (base64url JSON + RSASSA-PKCS1-v1_5 SHA-256, RFC 7515/7518) rather than
/// done with the library the plugin validates with, so the test does not check the library against itself.
/// </summary>
public sealed class BotFrameworkSigningKey : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public BotFrameworkSigningKey(string kid, params string[] endorsements)
    {
        Kid = kid;
        Endorsements = endorsements;
    }

    public string Kid { get; }

    public IReadOnlyList<string> Endorsements { get; }

    /// <summary>The public key as a JWK: kty, use, kid, x5t, n, e, endorsements.</summary>
    public JsonObject ToJwk()
    {
        var parameters = _rsa.ExportParameters(false);
        var endorsements = new JsonArray();
        foreach (var e in Endorsements)
            endorsements.Add(e);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["x5t"] = Kid,
            ["n"] = Base64Url(parameters.Modulus!),
            ["e"] = Base64Url(parameters.Exponent!),
            ["endorsements"] = endorsements,
        };
    }

    /// <summary>
    /// A Connector-to-bot token: <c>iss</c>, <c>aud</c>, <c>serviceurl</c>, <c>nbf</c>, <c>exp</c> (plus <c>iat</c>), signed
    /// with this key, or with <paramref name="signWith"/> while still naming this key's kid (a forged signature).
    /// </summary>
    public string Sign(string audience, string serviceUrl, DateTimeOffset now, string issuer = "https://api.botframework.com",
        TimeSpan? lifetime = null, TimeSpan? notBeforeOffset = null, BotFrameworkSigningKey? signWith = null, string alg = "RS256")
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT", ["x5t"] = Kid, ["kid"] = Kid };
        var payload = new JsonObject
        {
            ["serviceurl"] = serviceUrl,
            ["nbf"] = (now + (notBeforeOffset ?? TimeSpan.FromMinutes(-5))).ToUnixTimeSeconds(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds(),
            ["iss"] = issuer,
            ["aud"] = audience,
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        if (alg == "none")
            return signingInput + ".";
        var signature = (signWith ?? this)._rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    public void Dispose() => _rsa.Dispose();

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
