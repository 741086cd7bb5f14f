namespace ClawScale.Kernel.Security;

/// <summary>The kernel's source of secret randomness (API keys, webhook secrets, link codes). Replaceable in tests.</summary>
internal interface ISecretGenerator
{
    /// <summary>Returns <paramref name="byteCount"/> cryptographically random bytes as base64url without padding.</summary>
    string NewToken(int byteCount);
}
