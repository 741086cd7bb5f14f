using System.Text.Json;

namespace ClawScale.Plugins.Telegram.Tests.Fakes;

/// <summary>One request the fake Bot API received: the method, and its JSON body or form fields and uploaded files.</summary>
public sealed record FakeTelegramCall
{
    /// <summary>The Bot API method, for example <c>sendMessage</c>.</summary>
    public required string Method { get; init; }

    /// <summary>The token in the URL path (<c>/bot&lt;token&gt;/method</c>).</summary>
    public required string Token { get; init; }

    /// <summary>The JSON body, when the request was <c>application/json</c>.</summary>
    public JsonElement? Json { get; init; }

    /// <summary>The form fields (multipart or urlencoded) and query-string parameters.</summary>
    public IReadOnlyDictionary<string, string> Form { get; init; } = new Dictionary<string, string>();

    /// <summary>When the request arrived (the system clock, read before the body).</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>
    /// The Bot API <c>error_code</c> the fake answered with (for example 429), or null when it answered <c>ok:true</c>.
    /// Set on send methods (sendMessage, sendPhoto, sendDocument), which are recorded once their answer is chosen, and
    /// on calls with a wrong token (401).
    /// </summary>
    public int? ErrorCode { get; init; }

    /// <summary>Files uploaded as multipart parts.</summary>
    public IReadOnlyList<FakeTelegramUpload> Files { get; init; } = [];

    /// <summary>A parameter from the JSON body (raw JSON text for objects/arrays, the value for strings) or the form, or null.</summary>
    public string? Parameter(string name)
    {
        if (Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(name, out var value))
            return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        return Form.TryGetValue(name, out var field) ? field : null;
    }
}
