namespace ClawScale.Plugins.Discord.Model;

/// <summary>op 10 Hello data (Gateway "Hello"): the heartbeat interval in milliseconds.</summary>
public sealed record Hello
{
    /// <summary>How often to heartbeat, in milliseconds.</summary>
    public int HeartbeatInterval { get; init; }
}
