namespace ClawScale.Plugins.Slack.Model;

/// <summary>A file object of a message (Slack docs "File object"); only the fields the plugin maps.</summary>
public sealed record SlackFile
{
    /// <summary>The file id, <c>F…</c>.</summary>
    public string? Id { get; init; }

    /// <summary>The file name.</summary>
    public string? Name { get; init; }

    /// <summary>The MIME type.</summary>
    public string? Mimetype { get; init; }

    /// <summary>Size in bytes.</summary>
    public long? Size { get; init; }

    /// <summary>The download URL; it needs the bot token (<c>Authorization: Bearer</c>), so it is not handed to the kernel.</summary>
    public string? UrlPrivate { get; init; }
}
