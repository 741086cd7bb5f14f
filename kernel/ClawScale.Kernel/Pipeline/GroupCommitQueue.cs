using System.Threading.Channels;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// Group commit: callers submit work items and wait; <c>writers</c> loops each take every item waiting (up to
/// <c>maxBatch</c>) and write them with one call of <c>writeBatch</c>, which runs them in one database transaction.
/// Under load one commit (and one WAL flush) serves many callers; when idle an item is written at once (no linger).
/// </summary>
/// <remarks>
/// <para>Backpressure: at most <c>capacity</c> items wait; <see cref="SubmitAsync"/> then throws
/// <see cref="PipelineOverloadedException"/> at once instead of queueing without bound, so callers can answer
/// "retry later" (HTTP 503 with Retry-After, gRPC UNAVAILABLE) while latency stays bounded.</para>
/// <para>Isolation: when a batch of several items fails with an error from the database server, each item is written
/// again on its own, so one bad item (or a deadlock with another instance) fails only itself; when the database cannot
/// be reached, the whole batch fails at once. A caller whose token is cancelled stops waiting, but an item
/// already queued is still written (its effects must be idempotent, as webhook retries are).</para>
/// <para>On dispose, intake stops and the waiting items are written before the loops end.</para>
/// </remarks>
/// <typeparam name="TItem">A unit of work; written all or nothing.</typeparam>
/// <typeparam name="TResult">What the caller gets back for its item.</typeparam>
internal sealed partial class GroupCommitQueue<TItem, TResult> : IAsyncDisposable
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);
    private readonly Channel<Entry> _queue;
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _writeBatch;
    private readonly string _name;
    private readonly int _maxBatch;
    private readonly int _capacity;
    private readonly ILogger _logger;
    private readonly Task[] _loops;
    private int _pending;
    private long _lastOverloadLogTicks;

    /// <param name="name">Name in logs (for example <c>accept</c>).</param>
    /// <param name="capacity">Items that may wait before submissions are refused (at least 1).</param>
    /// <param name="maxBatch">Most items per <paramref name="writeBatch"/> call (at least 1).</param>
    /// <param name="writers">Concurrent writer loops (at least 1); more than one overlaps one batch's commit with the next.</param>
    /// <param name="writeBatch">Writes the items in one transaction and returns one result per item, in order.</param>
    /// <param name="logger">Logger.</param>
    public GroupCommitQueue(string name, int capacity, int maxBatch, int writers,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> writeBatch, ILogger logger)
    {
        _name = name;
        _capacity = Math.Max(1, capacity);
        _maxBatch = Math.Max(1, maxBatch);
        _writeBatch = writeBatch;
        _logger = logger;
        _queue = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleWriter = false, SingleReader = writers <= 1 });
        _loops = new Task[Math.Max(1, writers)];
        for (var i = 0; i < _loops.Length; i++) _loops[i] = Task.Run(RunAsync);
    }

    /// <summary>Items submitted and not yet written.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Queues <paramref name="item"/> and waits until its batch is committed.</summary>
    /// <exception cref="PipelineOverloadedException">More than the capacity of items are waiting; nothing was queued.</exception>
    /// <exception cref="OperationCanceledException">The caller stopped waiting; the item may still be written.</exception>
    public Task<TResult> SubmitAsync(TItem item, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _pending) > _capacity)
        {
            Interlocked.Decrement(ref _pending);
            LogOverloadedThrottled();
            throw new PipelineOverloadedException($"The {_name} queue is full ({_capacity} waiting); retry in a moment.");
        }

        var entry = new Entry(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(entry))
        {
            Interlocked.Decrement(ref _pending);
            throw new PipelineOverloadedException($"The {_name} queue is shutting down; retry in a moment.");
        }

        return cancellationToken.CanBeCanceled ? entry.Completion.Task.WaitAsync(cancellationToken) : entry.Completion.Task;
    }

    /// <summary>
    /// <see cref="SubmitAsync"/> for work that has already happened outside the database (a platform send, an agent's
    /// answer): a failure is retried with backoff (100 ms doubling to 2 s) until <paramref name="retryUntilUtc"/> (the
    /// claim's lease end), so a database restart does not lose the outcome and have the work done again after the lease.
    /// After that, or on <see cref="PipelineOverloadedException"/>, the failure propagates.
    /// </summary>
    /// <param name="item">The item.</param>
    /// <param name="retryUntilUtc">Last moment (UTC) a retry may start.</param>
    /// <param name="time">The clock for the deadline and the delays.</param>
    /// <param name="onRetry">Called before each retry with the failure and the delay (for a log line).</param>
    public async Task<TResult> SubmitUntilAsync(TItem item, DateTime? retryUntilUtc, TimeProvider time, Action<Exception, TimeSpan> onRetry)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return await SubmitAsync(item, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not PipelineOverloadedException && time.GetUtcNow().UtcDateTime + delay < retryUntilUtc)
            {
                onRetry(ex, delay);
                await Task.Delay(delay, time).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>Stops intake and waits for the queued items to be written.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Entry>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var entry)) batch.Add(entry);
            if (batch.Count == 0) continue;
            Interlocked.Add(ref _pending, -batch.Count);
            await WriteAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(List<Entry> batch)
    {
        try
        {
            var results = await _writeBatch(batch.ConvertAll(e => e.Item), CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(results[i]);
            return;
        }
        catch (Exception ex) when (batch.Count > 1 && !IsConnectionFailure(ex))
        {
            LogBatchFailed(_logger, _name, batch.Count, ex);
        }
        catch (Exception ex)
        {
            // One item, or the database could not be reached at all: writing the items one by one would only repeat the
            // failure (and its connect timeout) once per item, so every caller gets the error now.
            foreach (var entry in batch) entry.Completion.TrySetException(ex);
            return;
        }

        foreach (var entry in batch)
        {
            try
            {
                var results = await _writeBatch([entry.Item], CancellationToken.None).ConfigureAwait(false);
                entry.Completion.TrySetResult(results[0]);
            }
            catch (Exception ex)
            {
                entry.Completion.TrySetException(ex);
            }
        }
    }

    /// <summary>
    /// True when the database was not reached (connection refused, broken or timed out), as opposed to an error the
    /// server returned for the statements (a constraint, a deadlock), which may concern one item only.
    /// </summary>
    internal static bool IsConnectionFailure(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is Npgsql.PostgresException or Microsoft.Data.Sqlite.SqliteException) return false;
            if (ex is Npgsql.NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException) return true;
        }

        return false;
    }

    private void LogOverloadedThrottled()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastOverloadLogTicks);
        if (now - last < 5000 || Interlocked.CompareExchange(ref _lastOverloadLogTicks, now, last) != last) return;
        LogOverloaded(_logger, _name, _capacity);
    }

    private sealed record Entry(TItem Item, TaskCompletionSource<TResult> Completion);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "The {Queue} queue is full ({Capacity} waiting): new work is refused with 'retry later' (logged at most every 5 s)")]
    private static partial void LogOverloaded(ILogger logger, string queue, int capacity);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Warning, Message = "A {Queue} batch of {Count} items failed; writing each item on its own")]
    private static partial void LogBatchFailed(ILogger logger, string queue, int count, Exception exception);
}

/// <summary>
/// The kernel refuses new work because a pipeline queue is full (see <see cref="PipelineOptions.AcceptQueueLimit"/>).
/// Nothing was stored; the caller should retry after a short delay (webhooks: HTTP 503 with <c>Retry-After</c>; gRPC: UNAVAILABLE).
/// </summary>
internal sealed class PipelineOverloadedException(string message) : Exception(message);
