using Telegram.Bot.Requests;
using Telegram.Bot.Requests.Abstractions;
using Telegram.Bot.Types;

namespace ClawScale.Plugins.Telegram;

/// <summary>
/// One Bot API call of an outbound message: exactly one of <see cref="Text"/>, <see cref="Photo"/> and
/// <see cref="Document"/> is set (Telegram.Bot's request types for "sendMessage", "sendPhoto" and "sendDocument").
/// </summary>
public sealed record TelegramSendStep
{
    /// <summary>A sendMessage call.</summary>
    public SendMessageRequest? Text { get; init; }

    /// <summary>A sendPhoto call.</summary>
    public SendPhotoRequest? Photo { get; init; }

    /// <summary>A sendDocument call.</summary>
    public SendDocumentRequest? Document { get; init; }

    /// <summary>
    /// The MIME type of the file part when the file is uploaded inline (an <see cref="InputFileStream"/>);
    /// <see langword="null"/> otherwise, or when unknown (then application/octet-stream).
    /// </summary>
    public string? UploadMimeType { get; init; }

    /// <summary>The call to make.</summary>
    /// <exception cref="InvalidOperationException">No request is set.</exception>
    public IRequest<Message> Request =>
        (IRequest<Message>?)Text ?? (IRequest<Message>?)Photo ?? Document ?? throw new InvalidOperationException("the send step has no request");

    /// <summary>The caption of a photo or document, or <see langword="null"/>.</summary>
    public string? Caption => Photo?.Caption ?? Document?.Caption;
}
