namespace ClawScale.Plugins.Teams.Model;

/// <summary>The <c>error</c> object of a Connector ErrorResponse.</summary>
public sealed record ConnectorError
{
    /// <summary>The code, for example <c>ConversationNotFound</c>, <c>BotNotInConversationRoster</c>, <c>Throttled</c>.</summary>
    public string? Code { get; init; }

    /// <summary>The human-readable message.</summary>
    public string? Message { get; init; }
}
