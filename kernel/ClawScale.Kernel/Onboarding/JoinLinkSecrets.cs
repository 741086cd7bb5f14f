using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ClawScale.Kernel.Security;

namespace ClawScale.Kernel.Onboarding;

/// <summary>
/// The two secrets of a join link. The <b>token</b> in <c>/join/{token}</c> is 32 random bytes as 43 base64url
/// characters (256 bits: guessing one is hopeless, so the page needs no lock-out). The <b>start code</b> the end user
/// sends is <c>join-</c> followed by 24 base64url characters (144 bits) derived from the token with SHA-256, so the
/// page can show it while the database keeps neither: anyone without the token cannot compute it, and the code does
/// not reveal the token. It fits Telegram's deep-link <c>start</c> parameter (at most 64 characters of
/// <c>A-Z a-z 0-9 _ -</c>, Bot API "Deep linking"). Both are stored as SHA-256 only (a fast hash is right for secrets
/// with that much randomness, as for API keys).
/// </summary>
internal static partial class JoinLinkSecrets
{
    /// <summary>The prefix of every start code.</summary>
    public const string CodePrefix = "join-";

    /// <summary>The length of a token, in characters.</summary>
    public const int TokenLength = 43;

    /// <summary>The length of a start code, in characters (prefix included).</summary>
    public const int CodeLength = 29;

    /// <summary>A new URL token.</summary>
    public static string NewToken(ISecretGenerator generator) => generator.NewToken(32);

    /// <summary>The start code of <paramref name="token"/>: <c>join-</c> + the first 18 bytes of SHA-256("clawscale join code:" + token), base64url.</summary>
    public static string CodeFor(string token)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes("clawscale join code:" + token));
        return CodePrefix + Convert.ToBase64String(digest, 0, 18).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>SHA-256 of a token or code (UTF-8).</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Whether <paramref name="value"/> has the shape of a token (checked before any database query).</summary>
    public static bool IsToken(string? value) => value is { Length: TokenLength } && TokenPattern().IsMatch(value);

    /// <summary>
    /// Whether <paramref name="value"/> looks like a start code (<c>join-</c> and 1 to 59 characters of
    /// <c>A-Z a-z 0-9 _ -</c>): such a message is answered by the kernel, valid or not, and never reaches the agent.
    /// </summary>
    public static bool LooksLikeCode(string? value) => value is not null && CodePattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9_-]{43}$", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^join-[A-Za-z0-9_-]{1,59}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
