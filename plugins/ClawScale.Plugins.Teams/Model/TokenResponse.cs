using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Teams.Model;

/// <summary>
/// The Entra ID token endpoint's answer (Bot Framework docs "Authenticate requests from your bot to the Bot Connector
/// service", step 2; RFC 6749 §5.1 and §5.2): <c>token_type</c>, <c>expires_in</c> (seconds), <c>access_token</c>, or
/// <c>error</c> with <c>error_description</c>.
/// </summary>
public sealed record TokenResponse
{
    /// <summary><c>Bearer</c>.</summary>
    [JsonPropertyName("token_type")]
    public string? TokenType { get; init; }

    /// <summary>Lifetime in seconds.</summary>
    [JsonPropertyName("expires_in")]
    public long? ExpiresIn { get; init; }

    /// <summary>The token; never logged.</summary>
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    /// <summary>The OAuth error code (<c>invalid_client</c>, <c>unauthorized_client</c>, …).</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    /// <summary>The OAuth error description (AADSTS code and text).</summary>
    [JsonPropertyName("error_description")]
    public string? ErrorDescription { get; init; }
}
