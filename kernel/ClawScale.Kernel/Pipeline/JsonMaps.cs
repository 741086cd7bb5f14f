using System.Text.Json;

namespace ClawScale.Kernel.Pipeline;

/// <summary>Tolerant reading and writing of stored JSON objects of string values (<c>properties_json</c>, <c>config_json</c>).</summary>
internal static class JsonMaps
{
    /// <summary>The map stored in <paramref name="json"/>; blank or malformed text is an empty map.</summary>
    public static Dictionary<string, string> Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var map = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
            return map is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(map, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
    }

    /// <summary>Serializes <paramref name="map"/> with keys in ordinal order (a canonical form); null or empty is <c>{}</c>.</summary>
    public static string Write(IReadOnlyDictionary<string, string>? map) =>
        map is null || map.Count == 0
            ? "{}"
            : JsonSerializer.Serialize(new SortedDictionary<string, string>(map.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal));
}
