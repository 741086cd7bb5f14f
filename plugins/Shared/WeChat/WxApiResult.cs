using System.Text.Json;

namespace ClawScale.Plugins.Shared.WeChat;

/// <summary>
/// The outcome of one WeCom / WeChat server API call: the documented <c>{"errcode","errmsg"}</c> envelope (errcode 0 or
/// absent is success), or a transport failure (network error, timeout, a non-JSON or non-2xx answer).
/// </summary>
internal sealed record WxApiResult
{
    /// <summary>The HTTP status; 0 when no answer arrived.</summary>
    public int HttpStatus { get; init; }

    /// <summary>The platform's <c>errcode</c> (0 = ok; -1 = system busy), or null when the answer had none.</summary>
    public int? ErrCode { get; init; }

    /// <summary>The platform's <c>errmsg</c> (at most 300 characters kept), or null.</summary>
    public string? ErrMsg { get; init; }

    /// <summary>The parsed JSON answer (a clone), or null.</summary>
    public JsonElement? Body { get; init; }

    /// <summary>The <c>Retry-After</c> header of the answer, when there was one (429 / 503 from a gateway in front).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Why no usable answer arrived (never holds a URL, token or secret), or null.</summary>
    public string? TransportError { get; init; }

    /// <summary>True for an HTTP 2xx JSON answer whose errcode is 0 or absent.</summary>
    public bool Ok => TransportError is null && HttpStatus is >= 200 and < 300 && (ErrCode ?? 0) == 0;

    /// <summary>A string property of the answer, or null.</summary>
    public string? String(string name) =>
        Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty(name, out var value)
            ? value.ValueKind switch { JsonValueKind.String => value.GetString(), JsonValueKind.Number => value.GetRawText(), _ => null }
            : null;

    /// <summary>An integer property of the answer, or null.</summary>
    public long? Int64(string name) =>
        Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)
            ? n
            : null;

    /// <summary>Describes the failure for admins: <c>errcode 45009 (api freq out of limit)</c> or the transport error.</summary>
    public string Describe() =>
        TransportError ?? (ErrCode is { } code ? $"errcode {code} ({ErrMsg ?? "no errmsg"})" : $"HTTP {HttpStatus}");
}
