namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary><c>error.error_data</c>.</summary>
public sealed record GraphErrorData
{
    /// <summary>A longer explanation.</summary>
    public string? Details { get; init; }
}
