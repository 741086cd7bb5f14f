using System.Web;

namespace ClawScale.Plugins.Shared.WeChat;

/// <summary>Reads the callback query string (<c>msg_signature</c>, <c>signature</c>, <c>timestamp</c>, <c>nonce</c>, <c>echostr</c>, …), URL-decoded as both platforms require.</summary>
internal static class WxQuery
{
    /// <summary>The parameters (first value of each; names case-sensitive as sent).</summary>
    /// <param name="queryString">The query string with or without its leading <c>?</c>.</param>
    public static IReadOnlyDictionary<string, string> Parse(string? queryString)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(queryString))
            return result;
        var parsed = HttpUtility.ParseQueryString(queryString);
        foreach (var key in parsed.AllKeys)
        {
            if (key is not null && parsed.GetValues(key) is [var first, ..])
                result.TryAdd(key, first);
        }

        return result;
    }

    /// <summary>
    /// A Base64 parameter (<c>echostr</c>): a raw <c>+</c> left unencoded by a proxy decodes to a space, which Base64 never
    /// holds, so spaces are turned back into <c>+</c>.
    /// </summary>
    public static string? Base64(IReadOnlyDictionary<string, string> query, string name) =>
        query.TryGetValue(name, out var value) ? value.Replace(' ', '+') : null;
}
