using System.Collections.Concurrent;
using ClawScale.Kernel.Hosting;
using ClawScale.Kernel.Security;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Console;

/// <summary>
/// The console's sessions, in memory on this kernel instance: a random id → <see cref="ConsoleSession"/>. A session
/// ends after <see cref="ConsoleOptions.SessionIdleTimeout"/> without a request, at sign-out, or when its key stops
/// working (UNAUTHENTICATED from the API). A restart signs everyone out.
/// </summary>
internal sealed class ConsoleSessionStore(ISecretGenerator random, TimeProvider time, IOptions<ClawScaleOptions> options)
{
    /// <summary>The cookie holding the session id.</summary>
    public const string CookieName = "clawscale_console";

    private readonly ConcurrentDictionary<string, ConsoleSession> _sessions = new(StringComparer.Ordinal);
    private readonly TimeSpan _idle = options.Value.Console.SessionIdleTimeout;

    /// <summary>How many sessions are held (expired ones included until swept).</summary>
    public int Count => _sessions.Count;

    /// <summary>Starts a session for a verified key.</summary>
    public ConsoleSession Create(string apiKey, string keyId, bool isPlatformAdmin, string? tenantId)
    {
        Sweep();
        var session = new ConsoleSession(random.NewToken(32), apiKey, keyId, isPlatformAdmin, tenantId, time.GetUtcNow());
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The live session with <paramref name="id"/>, touched; null when unknown or idle too long (then removed).</summary>
    public ConsoleSession? Get(string? id)
    {
        if (string.IsNullOrEmpty(id) || !_sessions.TryGetValue(id, out var session)) return null;
        var now = time.GetUtcNow();
        if (now - session.LastSeen > _idle)
        {
            _sessions.TryRemove(id, out _);
            return null;
        }

        session.LastSeen = now;
        return session;
    }

    /// <summary>Ends a session (sign-out, or its key was refused).</summary>
    public void Remove(string id) => _sessions.TryRemove(id, out _);

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, session) in _sessions)
        {
            if (now - session.LastSeen > _idle) _sessions.TryRemove(id, out _);
        }
    }
}
