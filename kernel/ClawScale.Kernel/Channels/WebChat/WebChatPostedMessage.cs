namespace ClawScale.Kernel.Channels.WebChat;

/// <summary>A validated <c>POST /chat/{channelId}/messages</c> body.</summary>
/// <param name="VisitorId">The visitor's id (the external chat id and identity value).</param>
/// <param name="Text">The message text.</param>
/// <param name="ClientMessageId">The page's id of the message; with the visitor id, the deduplication key.</param>
internal sealed record WebChatPostedMessage(string VisitorId, string Text, string ClientMessageId);
