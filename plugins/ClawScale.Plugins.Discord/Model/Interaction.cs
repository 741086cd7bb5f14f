namespace ClawScale.Plugins.Discord.Model;

/// <summary>An interaction ("Interaction Object"), as POSTed to the Interactions Endpoint URL.</summary>
public sealed record Interaction
{
    /// <summary>The interaction id.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The application the interaction is for.</summary>
    public string? ApplicationId { get; init; }

    /// <summary>1 PING, 2 APPLICATION_COMMAND, 3 MESSAGE_COMPONENT, 4 APPLICATION_COMMAND_AUTOCOMPLETE, 5 MODAL_SUBMIT.</summary>
    public int Type { get; init; }

    /// <summary>The command data (for type 2).</summary>
    public InteractionData? Data { get; init; }

    /// <summary>The guild it was sent from; absent in DMs.</summary>
    public string? GuildId { get; init; }

    /// <summary>The channel it was sent from.</summary>
    public string? ChannelId { get; init; }

    /// <summary>The partial channel it was sent from (newer payloads carry it besides <see cref="ChannelId"/>).</summary>
    public InteractionChannel? Channel { get; init; }

    /// <summary>The invoking member, in guilds.</summary>
    public GuildMember? Member { get; init; }

    /// <summary>The invoking user, in DMs.</summary>
    public DiscordUser? User { get; init; }

    /// <summary>The continuation token for responding (valid 15 minutes). A secret: never logged.</summary>
    public string? Token { get; init; }
}
