namespace ClawScale.Kernel.Security;

/// <summary>The kernel's source of secret randomness (API keys, webhook secrets, link codes). Replaceable in tests.</summary>
internal interface ISecretGenerator
{
    /// <summary>Returns <paramref name="byteCount"/> cryptographically random bytes as base64url without padding.</summary>
    string NewToken(int byteCount);

    /// <summary>Returns <paramref name="count"/> uniformly random decimal digits (for short codes people type, like <c>/link</c> codes).</summary>
    string NewDigits(int count);
}
