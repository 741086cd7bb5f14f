using System.Text.Json;

namespace ClawScale.Plugins.Evolution.Model;

/// <summary>
/// The body Evolution API POSTs to an instance's webhook (Evolution API docs "Webhooks"; the envelope built in
/// <c>src/api/integrations/event/webhook/webhook.controller.ts</c>): <c>{"event","instance","data","destination",
/// "date_time","sender","server_url","apikey"}</c>. For <c>messages.upsert</c>, <see cref="Data"/> is the message.
/// </summary>
public sealed record EvolutionWebhook
{
    /// <summary>The event, for example <c>messages.upsert</c>.</summary>
    public string? Event { get; init; }

    /// <summary>The instance's name.</summary>
    public string? Instance { get; init; }

    /// <summary>The event's data (a message for <c>messages.upsert</c>).</summary>
    public JsonElement Data { get; init; }

    /// <summary>The instance's own WhatsApp JID (its <c>wuid</c>), for example <c>5511999999999@s.whatsapp.net</c>.</summary>
    public string? Sender { get; init; }

    /// <summary>The server's URL (<c>server_url</c>).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("server_url")]
    public string? ServerUrl { get; init; }

    /// <summary>
    /// The instance's token, sent only when the server sets <c>AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES=true</c>
    /// (otherwise null).
    /// </summary>
    public string? Apikey { get; init; }
}
