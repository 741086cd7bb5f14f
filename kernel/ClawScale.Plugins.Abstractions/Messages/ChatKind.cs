namespace ClawScale.Plugins.Messages;

/// <summary>The kind of chat a message was written in.</summary>
public enum ChatKind
{
    /// <summary>A one-to-one chat between the user and the bot (Telegram private chat, Slack DM, Discord DM).</summary>
    Direct = 1,

    /// <summary>A chat with several members (Telegram group, Slack channel, Discord guild channel).</summary>
    Group = 2,
}
