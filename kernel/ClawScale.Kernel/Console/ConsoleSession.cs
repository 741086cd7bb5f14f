namespace ClawScale.Kernel.Console;

/// <summary>
/// One signed-in console user, held in memory on the kernel (<see cref="ConsoleSessionStore"/>); the browser only
/// holds <see cref="Id"/> in an HttpOnly, SameSite=Strict cookie. The API key never leaves the server.
/// </summary>
internal sealed class ConsoleSession(string id, string apiKey, string keyId, bool isPlatformAdmin, string? keyTenantId, DateTimeOffset now)
{
    private long _lastSeenTicks = now.UtcTicks;

    /// <summary>The random session id (32 bytes, base64url) in the cookie.</summary>
    public string Id { get; } = id;

    /// <summary>The signed-in API key's secret, sent as <c>authorization: Bearer</c> on the console's gRPC calls.</summary>
    public string ApiKey { get; } = apiKey;

    /// <summary>The API key's id (for logs).</summary>
    public string KeyId { get; } = keyId;

    /// <summary>Whether the key is a platform-admin key (may pick any tenant).</summary>
    public bool IsPlatformAdmin { get; } = isPlatformAdmin;

    /// <summary>The tenant whose pages are shown: the key's own for a tenant admin, the picked one for a platform admin (null until picked).</summary>
    public string? TenantId { get; set; } = keyTenantId;

    /// <summary>The display name of <see cref="TenantId"/>, for the header.</summary>
    public string? TenantName { get; set; }

    /// <summary>A one-time confirmation shown on the next page (after a POST-redirect-GET).</summary>
    public string? Flash { get; set; }

    /// <summary>The last request's time (UTC ticks).</summary>
    public DateTimeOffset LastSeen
    {
        get => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _lastSeenTicks, value.UtcTicks);
    }
}
