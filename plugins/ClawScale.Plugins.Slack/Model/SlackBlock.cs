namespace ClawScale.Plugins.Slack.Model;

/// <summary>A Block Kit block; the plugin sends only image blocks (Slack docs "Image block": image_url, alt_text).</summary>
public sealed record SlackBlock
{
    /// <summary>The block type, <c>image</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The public URL of the image.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>A plain-text summary of the image (required by Slack).</summary>
    public string? AltText { get; init; }
}
