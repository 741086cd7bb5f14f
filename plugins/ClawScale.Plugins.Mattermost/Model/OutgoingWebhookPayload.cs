namespace ClawScale.Plugins.Mattermost.Model;

/// <summary>
/// The body of an outgoing webhook call, form-encoded or JSON (Mattermost developer docs "Outgoing webhooks",
/// developers.mattermost.com/integrate/webhooks/outgoing/):
/// <c>{"channel_id","channel_name","team_domain","team_id","post_id","text","timestamp","token","trigger_word","user_id","user_name","file_ids"}</c>,
/// all strings.
/// </summary>
internal sealed record OutgoingWebhookPayload
{
    public string? Token { get; init; }
    public string? ChannelId { get; init; }
    public string? ChannelName { get; init; }
    public string? TeamId { get; init; }
    public string? TeamDomain { get; init; }
    public string? PostId { get; init; }
    public string? Text { get; init; }
    public string? Timestamp { get; init; }
    public string? TriggerWord { get; init; }
    public string? UserId { get; init; }
    public string? UserName { get; init; }
    public string? FileIds { get; init; }
}
