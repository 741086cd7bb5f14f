namespace ClawScale.Plugins.Line.Model;

/// <summary>A message of a message event (reference "Text", "Image", … message objects).</summary>
public sealed record LineMessage
{
    /// <summary>The message id.</summary>
    public string? Id { get; init; }

    /// <summary><c>text</c>, <c>image</c>, <c>video</c>, <c>audio</c>, <c>file</c>, <c>location</c>, <c>sticker</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The text of a text message.</summary>
    public string? Text { get; init; }

    /// <summary>The file name of a file message.</summary>
    public string? FileName { get; init; }

    /// <summary>The size in bytes of a file message.</summary>
    public long? FileSize { get; init; }

    /// <summary>The mentions in a text message.</summary>
    public LineMention? Mention { get; init; }

    /// <summary>The token that quotes this message in an answer (text and sticker messages).</summary>
    public string? QuoteToken { get; init; }

    /// <summary>The id of the quoted message, when the message quotes one.</summary>
    public string? QuotedMessageId { get; init; }
}
