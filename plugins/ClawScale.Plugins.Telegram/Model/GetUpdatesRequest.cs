namespace ClawScale.Plugins.Telegram.Model;

/// <summary>The body of getUpdates (Bot API "getUpdates").</summary>
public sealed record GetUpdatesRequest
{
    /// <summary>
    /// The first update to return; every update with a smaller id is confirmed and forgotten by Telegram ("offset").
    /// </summary>
    public long? Offset { get; init; }

    /// <summary>At most this many updates, 1–100 ("limit"). Default 100.</summary>
    public int? Limit { get; init; }

    /// <summary>Long-polling timeout in seconds; 0 is short polling ("timeout").</summary>
    public int Timeout { get; init; }

    /// <summary>The update types to receive; <see langword="null"/> keeps the previous setting ("allowed_updates").</summary>
    public IReadOnlyList<string>? AllowedUpdates { get; init; }
}
