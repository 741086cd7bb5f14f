namespace ClawScale.Kernel.Persistence;

/// <summary>
/// Serializes the pipeline's frequent writers (ACCEPT, claims, turn and delivery outcomes) inside the process when the
/// database is SQLite. SQLite has a single writer; without the gate, writers that collide wait in SQLite's busy
/// handler, which sleeps in growing steps (up to 100 ms) instead of waking when the lock is free, so a busy kernel spent
/// most of its time asleep. On PostgreSQL the gate does nothing (row locks, concurrent writers).
/// </summary>
internal sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Waits for the gate when <paramref name="db"/> is SQLite; dispose the result to leave it.</summary>
    public async ValueTask<Releaser> EnterAsync(ClawScaleDbContext db, CancellationToken cancellationToken)
    {
        if (db.Provider != DatabaseProvider.Sqlite) return default;
        await _gate.WaitAsync(cancellationToken);
        return new Releaser(_gate);
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    /// <summary>Leaves the gate (nothing when it was not entered).</summary>
    internal readonly struct Releaser(SemaphoreSlim? gate) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => gate?.Release();
    }
}
