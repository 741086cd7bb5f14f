using System.Text.Json;

namespace ClawScale.Plugins.Discord.Model;

/// <summary>One command option ("Application Command Interaction Data Option Structure").</summary>
public sealed record InteractionOption
{
    /// <summary>The option name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The option type (1 SUB_COMMAND, 2 SUB_COMMAND_GROUP, 3 STRING, 4 INTEGER, 5 BOOLEAN, …).</summary>
    public int Type { get; init; }

    /// <summary>The value (string, number or boolean), absent for sub-commands.</summary>
    public JsonElement? Value { get; init; }

    /// <summary>Nested options of a sub-command or group.</summary>
    public IReadOnlyList<InteractionOption>? Options { get; init; }
}
