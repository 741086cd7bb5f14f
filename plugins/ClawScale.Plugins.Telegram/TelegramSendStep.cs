using ClawScale.Plugins.Telegram.Model;

namespace ClawScale.Plugins.Telegram;

/// <summary>One Bot API call of an outbound message: exactly one of <see cref="Text"/> and <see cref="File"/> is set.</summary>
/// <param name="Text">A sendMessage call.</param>
/// <param name="File">A sendPhoto or sendDocument call.</param>
public sealed record TelegramSendStep(SendMessageRequest? Text, SendFileRequest? File);
