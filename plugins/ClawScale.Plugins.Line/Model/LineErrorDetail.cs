namespace ClawScale.Plugins.Line.Model;

/// <summary>One error detail.</summary>
public sealed record LineErrorDetail
{
    /// <summary>What is wrong.</summary>
    public string? Message { get; init; }

    /// <summary>Where, for example <c>messages[0].text</c>.</summary>
    public string? Property { get; init; }
}
