namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary>
/// The body of a webhook POST from Meta for the <c>whatsapp_business_account</c> object (WhatsApp Cloud API docs,
/// "Webhooks" → "Payload examples"): <c>{"object", "entry": [{"id", "changes": [{"value", "field"}]}]}</c>.
/// </summary>
public sealed record WhatsAppNotification
{
    /// <summary>Always <c>whatsapp_business_account</c> for WhatsApp.</summary>
    public string? Object { get; init; }

    /// <summary>One entry per WhatsApp Business Account.</summary>
    public IReadOnlyList<WhatsAppEntry>? Entry { get; init; }
}

/// <summary>One <c>entry[]</c> item: the WhatsApp Business Account id and its changes.</summary>
public sealed record WhatsAppEntry
{
    /// <summary>The WhatsApp Business Account id.</summary>
    public string? Id { get; init; }

    /// <summary>The changes; <c>field</c> is <c>messages</c> for messages and statuses.</summary>
    public IReadOnlyList<WhatsAppChange>? Changes { get; init; }
}

/// <summary>One <c>changes[]</c> item.</summary>
public sealed record WhatsAppChange
{
    /// <summary>The subscribed field, <c>messages</c> for messages and statuses.</summary>
    public string? Field { get; init; }

    /// <summary>The change itself.</summary>
    public WhatsAppChangeValue? Value { get; init; }
}

/// <summary>The <c>value</c> of a <c>messages</c> change: metadata, contacts, and messages or statuses.</summary>
public sealed record WhatsAppChangeValue
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string? MessagingProduct { get; init; }

    /// <summary>The business phone number that received the message.</summary>
    public WhatsAppMetadata? Metadata { get; init; }

    /// <summary>The senders' profiles (name and WhatsApp id).</summary>
    public IReadOnlyList<WhatsAppContact>? Contacts { get; init; }

    /// <summary>Incoming messages (absent for status notifications).</summary>
    public IReadOnlyList<WhatsAppMessage>? Messages { get; init; }

    /// <summary>Status updates of sent messages (sent, delivered, read, failed); ignored by the plugin.</summary>
    public IReadOnlyList<System.Text.Json.JsonElement>? Statuses { get; init; }
}

/// <summary><c>metadata</c>: which business number a change is for.</summary>
public sealed record WhatsAppMetadata
{
    /// <summary>The business number as displayed, for example <c>16505551111</c>.</summary>
    public string? DisplayPhoneNumber { get; init; }

    /// <summary>The Graph API id of the business number; must match the channel's <c>phone_number_id</c>.</summary>
    public string? PhoneNumberId { get; init; }
}

/// <summary><c>contacts[]</c>: a sender's profile name and WhatsApp id.</summary>
public sealed record WhatsAppContact
{
    /// <summary>The profile (<c>name</c>).</summary>
    public WhatsAppProfile? Profile { get; init; }

    /// <summary>The sender's WhatsApp id (a phone number without <c>+</c>).</summary>
    public string? WaId { get; init; }
}

/// <summary><c>contacts[].profile</c>.</summary>
public sealed record WhatsAppProfile
{
    /// <summary>The sender's profile name.</summary>
    public string? Name { get; init; }
}

/// <summary>
/// One incoming message (<c>messages[]</c>): <c>from</c>, <c>id</c> (<c>wamid.…</c>, the deduplication key),
/// <c>timestamp</c> (Unix seconds as a string), <c>type</c> and the object named by the type; <c>context</c> when it
/// replies to an earlier message.
/// </summary>
public sealed record WhatsAppMessage
{
    /// <summary>The sender's WhatsApp id.</summary>
    public string? From { get; init; }

    /// <summary>The message id, <c>wamid.…</c>.</summary>
    public string? Id { get; init; }

    /// <summary>Unix seconds, as a string.</summary>
    public string? Timestamp { get; init; }

    /// <summary><c>text</c>, <c>image</c>, <c>audio</c>, <c>video</c>, <c>document</c>, <c>sticker</c>, <c>reaction</c>, …</summary>
    public string? Type { get; init; }

    /// <summary>For <c>type: text</c>: the body.</summary>
    public WhatsAppText? Text { get; init; }

    /// <summary>For <c>type: image</c>.</summary>
    public WhatsAppMedia? Image { get; init; }

    /// <summary>For <c>type: audio</c>.</summary>
    public WhatsAppMedia? Audio { get; init; }

    /// <summary>For <c>type: video</c>.</summary>
    public WhatsAppMedia? Video { get; init; }

    /// <summary>For <c>type: document</c>.</summary>
    public WhatsAppMedia? Document { get; init; }

    /// <summary>For <c>type: sticker</c>.</summary>
    public WhatsAppMedia? Sticker { get; init; }

    /// <summary>Set when the message replies to (quotes) an earlier message.</summary>
    public WhatsAppContext? Context { get; init; }
}

/// <summary><c>text</c> of a text message.</summary>
public sealed record WhatsAppText
{
    /// <summary>The text.</summary>
    public string? Body { get; init; }
}

/// <summary>A media object of an incoming message: the media id (download through the Graph API), MIME type, caption.</summary>
public sealed record WhatsAppMedia
{
    /// <summary>The media id.</summary>
    public string? Id { get; init; }

    /// <summary>The MIME type, for example <c>image/jpeg</c>.</summary>
    public string? MimeType { get; init; }

    /// <summary>The caption, when the sender wrote one.</summary>
    public string? Caption { get; init; }

    /// <summary>The file name of a document.</summary>
    public string? Filename { get; init; }
}

/// <summary><c>context</c> of a reply: who wrote the quoted message and its id.</summary>
public sealed record WhatsAppContext
{
    /// <summary>The WhatsApp id of the quoted message's author.</summary>
    public string? From { get; init; }

    /// <summary>The quoted message's id.</summary>
    public string? Id { get; init; }
}
