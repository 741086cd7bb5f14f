using System.Collections.Concurrent;
using ClawScale.Kernel.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// <see cref="GroupCommitQueue{TItem,TResult}"/> on its own: batching of what waits behind a write, per-item results,
/// the capacity bound, per-item retry of a failed batch, and drain on dispose. The first batch is held on a gate, so
/// what happens while a write is in progress is decided by the test, not by timing.
/// </summary>
public sealed class GroupCommitQueueTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Items_submitted_while_a_batch_is_written_are_written_together_in_the_next_batch_with_results_in_order()
    {
        var writer = new GatedWriter(gateItem: 1);
        await using var queue = writer.CreateQueue(capacity: 100, maxBatch: 100);

        var first = queue.SubmitAsync(1, CancellationToken.None);
        await writer.GateReached.Task.WaitAsync(Bound);
        var rest = Enumerable.Range(2, 5).Select(i => queue.SubmitAsync(i, CancellationToken.None)).ToArray();
        Assert.Equal(5, queue.Pending);
        Assert.All(rest, t => Assert.False(t.IsCompleted));

        writer.Gate.SetResult();
        Assert.Equal("r1", await first.WaitAsync(Bound));
        Assert.Equal(["r2", "r3", "r4", "r5", "r6"], await Task.WhenAll(rest).WaitAsync(Bound));
        Assert.Equal([[1], [2, 3, 4, 5, 6]], writer.Batches);
        Assert.Equal(0, queue.Pending);
    }

    [Fact]
    public async Task A_batch_holds_at_most_maxBatch_items()
    {
        var writer = new GatedWriter(gateItem: 1);
        await using var queue = writer.CreateQueue(capacity: 100, maxBatch: 2);

        var first = queue.SubmitAsync(1, CancellationToken.None);
        await writer.GateReached.Task.WaitAsync(Bound);
        var rest = Enumerable.Range(2, 5).Select(i => queue.SubmitAsync(i, CancellationToken.None)).ToArray();
        writer.Gate.SetResult();

        Assert.Equal(["r2", "r3", "r4", "r5", "r6"], await Task.WhenAll(rest).WaitAsync(Bound));
        await first.WaitAsync(Bound);
        Assert.Equal([[1], [2, 3], [4, 5], [6]], writer.Batches);
    }

    [Fact]
    public async Task More_than_capacity_waiting_is_refused_at_once_and_nothing_of_it_is_queued()
    {
        var writer = new GatedWriter(gateItem: 1);
        await using var queue = writer.CreateQueue(capacity: 2, maxBatch: 100);

        var first = queue.SubmitAsync(1, CancellationToken.None);
        await writer.GateReached.Task.WaitAsync(Bound);
        // The item being written does not count: two more may wait.
        var second = queue.SubmitAsync(2, CancellationToken.None);
        var third = queue.SubmitAsync(3, CancellationToken.None);

        var refused = Assert.Throws<PipelineOverloadedException>(() => { _ = queue.SubmitAsync(4, CancellationToken.None); }); // thrown synchronously, not through the task
        Assert.Contains("full", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, queue.Pending);

        writer.Gate.SetResult();
        await Task.WhenAll(first, second, third).WaitAsync(Bound);
        Assert.Equal([[1], [2, 3]], writer.Batches);

        // Once the queue has room again, submissions are taken.
        Assert.Equal("r5", await queue.SubmitAsync(5, CancellationToken.None).WaitAsync(Bound));
        Assert.DoesNotContain(writer.Batches, b => b.Contains(4));
    }

    [Fact]
    public async Task A_failing_multi_item_batch_is_retried_item_by_item_so_only_the_bad_item_fails()
    {
        var writer = new GatedWriter(gateItem: 1, badItem: 3);
        await using var queue = writer.CreateQueue(capacity: 100, maxBatch: 100);

        var first = queue.SubmitAsync(1, CancellationToken.None);
        await writer.GateReached.Task.WaitAsync(Bound);
        var two = queue.SubmitAsync(2, CancellationToken.None);
        var three = queue.SubmitAsync(3, CancellationToken.None);
        var four = queue.SubmitAsync(4, CancellationToken.None);
        writer.Gate.SetResult();

        Assert.Equal("r2", await two.WaitAsync(Bound));
        Assert.Equal("r4", await four.WaitAsync(Bound));
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => three.WaitAsync(Bound));
        Assert.Equal("item 3 is bad", failed.Message);
        await first.WaitAsync(Bound);
        Assert.Equal([[1], [2, 3, 4], [2], [3], [4]], writer.Batches);
    }

    [Fact]
    public async Task A_failing_single_item_batch_fails_its_caller_without_a_retry()
    {
        var writer = new GatedWriter(gateItem: null, badItem: 3);
        await using var queue = writer.CreateQueue(capacity: 100, maxBatch: 100);

        await Assert.ThrowsAsync<InvalidOperationException>(() => queue.SubmitAsync(3, CancellationToken.None).WaitAsync(Bound));
        Assert.Equal([[3]], writer.Batches);
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_still_gets_its_item_written()
    {
        var writer = new GatedWriter(gateItem: 1);
        await using var queue = writer.CreateQueue(capacity: 100, maxBatch: 100);

        var first = queue.SubmitAsync(1, CancellationToken.None);
        await writer.GateReached.Task.WaitAsync(Bound);
        using var cts = new CancellationTokenSource();
        var abandoned = queue.SubmitAsync(2, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        writer.Gate.SetResult();
        await first.WaitAsync(Bound);
        Assert.Equal("r3", await queue.SubmitAsync(3, CancellationToken.None).WaitAsync(Bound));
        Assert.Contains(writer.Batches, b => b.Contains(2));
    }

    [Fact]
    public async Task DisposeAsync_writes_the_items_still_queued_and_refuses_new_ones()
    {
        var writer = new GatedWriter(gateItem: 1);
        var queue = writer.CreateQueue(capacity: 100, maxBatch: 100);

        var first = queue.SubmitAsync(1, CancellationToken.None);
        await writer.GateReached.Task.WaitAsync(Bound);
        var two = queue.SubmitAsync(2, CancellationToken.None);
        var three = queue.SubmitAsync(3, CancellationToken.None);

        var disposing = queue.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted); // the first batch is still being written
        var late = Assert.Throws<PipelineOverloadedException>(() => { _ = queue.SubmitAsync(4, CancellationToken.None); }); // thrown synchronously, not through the task
        Assert.Contains("shutting down", late.Message, StringComparison.Ordinal);

        writer.Gate.SetResult();
        await disposing.WaitAsync(Bound);
        Assert.True(two.IsCompletedSuccessfully && three.IsCompletedSuccessfully, "Dispose returned before the queued items were written.");
        Assert.Equal("r2", await two);
        Assert.Equal("r3", await three);
        Assert.Equal("r1", await first);
        Assert.Equal([[1], [2, 3]], writer.Batches);
        Assert.Equal(0, queue.Pending);
    }

    /// <summary>
    /// A writeBatch delegate that records each batch, holds the batch containing <c>gateItem</c> until
    /// <see cref="Gate"/> is set, fails any batch containing <c>badItem</c>, and answers item <c>i</c> with <c>"r{i}"</c>.
    /// </summary>
    private sealed class GatedWriter(int? gateItem, int? badItem = null)
    {
        private readonly ConcurrentQueue<int[]> _batches = new();

        public TaskCompletionSource GateReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int[][] Batches => _batches.ToArray();

        public GroupCommitQueue<int, string> CreateQueue(int capacity, int maxBatch) =>
            new("test", capacity, maxBatch, writers: 1, WriteAsync, NullLogger.Instance);

        private async Task<IReadOnlyList<string>> WriteAsync(IReadOnlyList<int> items, CancellationToken cancellationToken)
        {
            _batches.Enqueue(items.ToArray());
            if (gateItem is { } g && items.Contains(g))
            {
                GateReached.TrySetResult();
                await Gate.Task;
            }

            if (badItem is { } b && items.Contains(b)) throw new InvalidOperationException($"item {b} is bad");
            return items.Select(i => "r" + i).ToList();
        }
    }
}
