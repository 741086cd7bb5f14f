using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ClawScale.Plugins.Shared.WeChat;

/// <summary>
/// The message encryption scheme shared by WeCom (企业微信, "加解密方案说明", developer.work.weixin.qq.com/document/path/90968)
/// and WeChat Official Accounts (公众号 "消息加解密说明", safe mode), known from Tencent's WXBizMsgCrypt sample code:
/// <list type="bullet">
/// <item><description>signature = lower-case hex SHA1 of the ordinal-sorted, concatenated strings (token, timestamp,
/// nonce, and the encrypted text where there is one);</description></item>
/// <item><description>AESKey = Base64-decode(EncodingAESKey + "="), 32 bytes; AES-256-CBC with IV = the key's first 16
/// bytes; PKCS#7 padding to a multiple of 32 bytes;</description></item>
/// <item><description>plaintext = random(16 bytes) + msg_len (4 bytes, network order) + msg (UTF-8) + receiveid (the
/// corp id for WeCom, the AppID for Official Accounts).</description></item>
/// </list>
/// AES comes from System.Security.Cryptography (no hand-rolled cipher); padding is removed here because .NET's PKCS#7 mode
/// only accepts pads up to the 16-byte AES block, and this scheme pads up to 32.
/// </summary>
internal sealed class WxBizMsgCrypt
{
    /// <summary>The length of an EncodingAESKey (43 characters of Base64 without its trailing <c>=</c>).</summary>
    public const int EncodingAesKeyLength = 43;

    private const int PadBlock = 32;
    private readonly byte[] _key;
    private readonly string _receiveId;

    /// <summary>Creates the codec of one app.</summary>
    /// <param name="token">The Token set beside the callback URL (signs every callback).</param>
    /// <param name="encodingAesKey">The 43-character EncodingAESKey.</param>
    /// <param name="receiveId">The corp id (WeCom) or AppID (Official Account) every decrypted message must end with.</param>
    /// <exception cref="ArgumentException">The EncodingAESKey is not 43 Base64 characters decoding to 32 bytes.</exception>
    public WxBizMsgCrypt(string token, string encodingAesKey, string receiveId)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentNullException.ThrowIfNull(receiveId);
        Token = token;
        _key = TryDecodeKey(encodingAesKey, out var problem) ?? throw new ArgumentException(problem, nameof(encodingAesKey));
        _receiveId = receiveId;
    }

    /// <summary>The Token.</summary>
    public string Token { get; }

    /// <summary>Decodes an EncodingAESKey, or gives the problem (never quoting the key).</summary>
    /// <param name="encodingAesKey">The configured value.</param>
    /// <param name="problem">What is wrong with it, or null.</param>
    /// <returns>The 32-byte AES key, or null.</returns>
    public static byte[]? TryDecodeKey(string? encodingAesKey, out string? problem)
    {
        problem = null;
        var text = encodingAesKey?.Trim() ?? string.Empty;
        if (text.Length != EncodingAesKeyLength || !text.All(char.IsAsciiLetterOrDigit))
        {
            problem = $"must be the {EncodingAesKeyLength}-character EncodingAESKey (letters and digits) shown beside the callback URL";
            return null;
        }

        try
        {
            var key = Convert.FromBase64String(text + "=");
            if (key.Length == 32)
                return key;
        }
        catch (FormatException)
        {
        }

        problem = "is not a valid EncodingAESKey (it must decode from Base64 to 32 bytes); generate a new one on the platform and copy it exactly";
        return null;
    }

    /// <summary>The lower-case hex SHA1 of the ordinal-sorted, concatenated <paramref name="parts"/>.</summary>
    /// <param name="parts">token, timestamp, nonce (and the encrypted text).</param>
    /// <returns>40 hex characters.</returns>
    public static string Signature(params ReadOnlySpan<string> parts)
    {
        var sorted = parts.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        // SHA1 is what WeCom and WeChat sign callbacks with; the platform chooses it, not this code.
#pragma warning disable CA5350
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted))));
#pragma warning restore CA5350
    }

    /// <summary>Whether <paramref name="presented"/> equals the signature of <paramref name="parts"/> (constant time, case-insensitive hex).</summary>
    /// <param name="presented">The signature from the request, or null.</param>
    /// <param name="parts">token, timestamp, nonce (and the encrypted text).</param>
    /// <returns>True when it matches.</returns>
    public static bool SignatureMatches(string? presented, params ReadOnlySpan<string> parts)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length != 40)
            return false;
        var expected = Encoding.ASCII.GetBytes(Signature(parts));
        var given = Encoding.ASCII.GetBytes(presented.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Whether <paramref name="presented"/> signs (Token, timestamp, nonce, encrypted) with this app's Token.</summary>
    public bool Verify(string? presented, string timestamp, string nonce, string encrypted) =>
        SignatureMatches(presented, Token, timestamp, nonce, encrypted);

    /// <summary>The signature of (Token, timestamp, nonce, encrypted) with this app's Token.</summary>
    public string Sign(string timestamp, string nonce, string encrypted) => Signature(Token, timestamp, nonce, encrypted);

    /// <summary>
    /// Decrypts one Base64 text (<c>Encrypt</c> of a callback, or a WeCom <c>echostr</c>) and checks its receiveid.
    /// </summary>
    /// <param name="encrypted">The Base64 ciphertext.</param>
    /// <param name="message">The msg part (UTF-8 decoded), or null.</param>
    /// <param name="failure">What was wrong (not Base64, bad padding, a length that does not fit, another receiveid), or null.</param>
    /// <returns>True when decrypted and addressed to this app.</returns>
    public bool TryDecrypt(string encrypted, out string? message, out string? failure)
    {
        message = null;
        byte[] cipher;
        try
        {
            cipher = Convert.FromBase64String(encrypted);
        }
        catch (FormatException)
        {
            failure = "the encrypted text is not Base64";
            return false;
        }

        if (cipher.Length == 0 || cipher.Length % 16 != 0)
        {
            failure = "the encrypted text is not a whole number of AES blocks";
            return false;
        }

        byte[] plain;
        using (var aes = Aes.Create())
        {
            aes.Key = _key;
            plain = aes.DecryptCbc(cipher, _key.AsSpan(0, 16), PaddingMode.None);
        }

        var pad = plain[^1];
        if (pad is < 1 or > PadBlock || pad > plain.Length || plain.AsSpan(plain.Length - pad).ContainsAnyExcept(pad))
        {
            failure = "the decrypted text has no valid PKCS#7 padding (wrong EncodingAESKey?)";
            return false;
        }

        var content = plain.AsSpan(0, plain.Length - pad);
        if (content.Length < 20)
        {
            failure = "the decrypted text is too short (wrong EncodingAESKey?)";
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(content.Slice(16, 4));
        if (length > (uint)(content.Length - 20))
        {
            failure = "the decrypted message length does not fit (wrong EncodingAESKey?)";
            return false;
        }

        var receiveId = Encoding.UTF8.GetString(content[(20 + (int)length)..]);
        if (!string.Equals(receiveId, _receiveId, StringComparison.Ordinal))
        {
            failure = "the message is addressed to another corp id / AppID than this channel's";
            return false;
        }

        message = Encoding.UTF8.GetString(content.Slice(20, (int)length));
        failure = null;
        return true;
    }

    /// <summary>Encrypts <paramref name="message"/> for this app (passive replies; tests and fakes).</summary>
    /// <param name="message">The msg part.</param>
    /// <param name="random16">16 random bytes (the scheme's first field).</param>
    /// <returns>The Base64 ciphertext.</returns>
    public string Encrypt(string message, ReadOnlySpan<byte> random16)
    {
        if (random16.Length != 16)
            throw new ArgumentException("16 bytes are required", nameof(random16));
        var msg = Encoding.UTF8.GetBytes(message);
        var id = Encoding.UTF8.GetBytes(_receiveId);
        var length = 20 + msg.Length + id.Length;
        var pad = PadBlock - (length % PadBlock);
        var plain = new byte[length + pad];
        random16.CopyTo(plain);
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(16, 4), (uint)msg.Length);
        msg.CopyTo(plain, 20);
        id.CopyTo(plain, 20 + msg.Length);
        plain.AsSpan(length).Fill((byte)pad);
        using var aes = Aes.Create();
        aes.Key = _key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, _key.AsSpan(0, 16), PaddingMode.None));
    }
}
