using System.Text;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;

namespace ClawScale.Cli.Output;

/// <summary>Formatting helpers shared by the commands.</summary>
public static class Render
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false).WithIndentation());
    private static readonly JsonFormatter CompactJson = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    /// <summary>The message in protobuf JSON, indented.</summary>
    public static string ToJson(IMessage message) => Json.Format(message);

    /// <summary>The message in protobuf JSON on one line (for streams: one object per line).</summary>
    public static string ToCompactJson(IMessage message) => CompactJson.Format(message);

    /// <summary>An enum value as kebab-case without its type prefix (<c>ApiKeyScope.PlatformAdmin</c> → <c>platform-admin</c>).</summary>
    public static string Enum<T>(T value) where T : struct, System.Enum
    {
        var name = value.ToString();
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) builder.Append('-');
            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    /// <summary>A timestamp as ISO 8601 UTC to the second, or empty when unset.</summary>
    public static string Time(Timestamp? time) => time is null ? string.Empty : time.ToDateTime().ToString("yyyy-MM-dd HH:mm:ss'Z'");

    /// <summary>A map as <c>k=v</c> pairs, sorted by key, comma-separated.</summary>
    public static string Map(MapField<string, string> map) => string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    /// <summary>A list, comma-separated.</summary>
    public static string List(IEnumerable<string> values) => string.Join(",", values);

    /// <summary>Text cut to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Cut(string text, int max = 60) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
