using System.Text.Json;

namespace ClawScale.Kernel.Tests.Faults;

/// <summary>One line a <see cref="KernelProcess"/> wrote: a JSON console log entry, or a raw line (level <c>Raw</c>).</summary>
internal sealed record KernelLogEntry(string Level, string Category, int EventId, string Message, string? Exception)
{
    /// <summary>Parses a line of the JSON console formatter; anything else (a crash dump, stray output) is <c>Raw</c>.</summary>
    public static KernelLogEntry Parse(string line)
    {
        if (line.StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                return new KernelLogEntry(
                    root.TryGetProperty("LogLevel", out var level) ? level.GetString() ?? "" : "",
                    root.TryGetProperty(nameof(Category), out var category) ? category.GetString() ?? "" : "",
                    root.TryGetProperty(nameof(EventId), out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt32() : 0,
                    root.TryGetProperty(nameof(Message), out var message) ? message.GetString() ?? "" : "",
                    root.TryGetProperty(nameof(Exception), out var exception) ? exception.GetString() : null);
            }
            catch (JsonException)
            {
                // Not a log entry after all.
            }
        }

        return new KernelLogEntry("Raw", "", 0, line, null);
    }

    public override string ToString() => $"{Level} {Category}[{EventId}] {Message}{(Exception is null ? "" : " " + Exception.Split('\n')[0])}";
}
