namespace ClawScale.Plugins.Telegram.Model;

/// <summary>A special entity in a text or caption (Bot API "MessageEntity").</summary>
public sealed record MessageEntity
{
    /// <summary>"mention" (@username), "bot_command" (/start@bot), "text_mention", "url", … ("type").</summary>
    public required string Type { get; init; }

    /// <summary>Offset of the entity, in UTF-16 code units ("offset").</summary>
    public int Offset { get; init; }

    /// <summary>Length of the entity, in UTF-16 code units ("length").</summary>
    public int Length { get; init; }

    /// <summary>For "text_mention" only: the mentioned user ("user").</summary>
    public User? User { get; init; }
}
