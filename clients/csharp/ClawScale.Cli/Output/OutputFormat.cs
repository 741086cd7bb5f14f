namespace ClawScale.Cli.Output;

/// <summary>How results are printed: <c>human</c> (aligned tables) or <c>json</c> (protobuf JSON of the response).</summary>
public enum OutputFormat
{
    /// <summary>Aligned plain-text tables (the default).</summary>
    Human,

    /// <summary>The response message in protobuf JSON (proto3 JSON mapping, camelCase field names).</summary>
    Json,
}
