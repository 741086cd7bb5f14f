using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>Runs plugin calls under a timeout (measured with the injected <see cref="TimeProvider"/>) and maps their failures.</summary>
internal sealed class PluginInvoker : IPluginInvoker
{
    private readonly TimeSpan _defaultTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<PluginInvoker> _logger;

    public PluginInvoker(IOptions<PluginHostOptions> options, TimeProvider timeProvider, ILogger<PluginInvoker> logger)
    {
        _defaultTimeout = options.Value.CallTimeout;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async ValueTask<T> InvokeAsync<T>(string pluginName, string operation, Func<CancellationToken, ValueTask<T>> call, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        cancellationToken.ThrowIfCancellationRequested();
        var effective = timeout ?? _defaultTimeout;
        using var timeoutSource = CreateTimeoutSource(effective);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource?.Token ?? CancellationToken.None);
        Task<T>? task = null;
        try
        {
            task = call(linked.Token).AsTask();
            return await task.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Map(pluginName, operation, effective, ex, task, timeoutSource, cancellationToken);
        }
    }

    public async ValueTask InvokeAsync(string pluginName, string operation, Func<CancellationToken, ValueTask> call, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        await InvokeAsync<bool>(pluginName, operation, async token =>
        {
            await call(token).ConfigureAwait(false);
            return true;
        }, timeout, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<T> InvokeStreamAsync<T>(string pluginName, string operation, Func<CancellationToken, IAsyncEnumerable<T>> call, TimeSpan? timeout,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        cancellationToken.ThrowIfCancellationRequested();
        var effective = timeout ?? _defaultTimeout;
        using var timeoutSource = CreateTimeoutSource(effective);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource?.Token ?? CancellationToken.None);
        IAsyncEnumerator<T> enumerator;
        try
        {
            enumerator = call(linked.Token).GetAsyncEnumerator(linked.Token);
        }
        catch (Exception ex)
        {
            throw Map(pluginName, operation, effective, ex, null, timeoutSource, cancellationToken);
        }

        try
        {
            while (true)
            {
                Task<bool>? step = null;
                bool hasNext;
                try
                {
                    step = enumerator.MoveNextAsync().AsTask();
                    hasNext = await step.WaitAsync(linked.Token).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    throw Map(pluginName, operation, effective, ex, step, timeoutSource, cancellationToken);
                }

                if (!hasNext)
                {
                    yield break;
                }

                yield return enumerator.Current;
            }
        }
        finally
        {
            await DisposeQuietlyAsync(pluginName, operation, enumerator).ConfigureAwait(false);
        }
    }

    public T Invoke<T>(string pluginName, string operation, Func<T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return call();
        }
        catch (Exception ex)
        {
            throw Fault(pluginName, operation, ex);
        }
    }

    private CancellationTokenSource? CreateTimeoutSource(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(timeout, _timeProvider);

    private Exception Map(string pluginName, string operation, TimeSpan timeout, Exception ex, Task? pending, CancellationTokenSource? timeoutSource,
        CancellationToken callerToken)
    {
        if (ex is OperationCanceledException && callerToken.IsCancellationRequested)
        {
            Observe(pluginName, operation, pending);
            return ex;
        }

        if (ex is OperationCanceledException && timeoutSource is { IsCancellationRequested: true })
        {
            Observe(pluginName, operation, pending);
            var timedOut = new PluginCallException(pluginName, operation, PluginCallFailure.TimedOut,
                $"Plugin \"{pluginName}\" did not complete {operation} within {timeout.TotalSeconds:0.###} s; the call was cancelled.", null);
            PluginHostLog.PluginCallFailed(_logger, pluginName, operation, PluginCallFailure.TimedOut, null);
            return timedOut;
        }

        return Fault(pluginName, operation, ex);
    }

    private PluginCallException Fault(string pluginName, string operation, Exception ex)
    {
        PluginHostLog.PluginCallFailed(_logger, pluginName, operation, PluginCallFailure.Faulted, ex);
        return new PluginCallException(pluginName, operation, PluginCallFailure.Faulted,
            $"Plugin \"{pluginName}\" failed in {operation}: {ex.GetType().Name}: {ex.Message}", ex);
    }

    private void Observe(string pluginName, string operation, Task? pending)
    {
        if (pending is null || pending.IsCompleted)
        {
            _ = pending?.Exception;
            return;
        }

        _ = pending.ContinueWith(
            static (t, state) =>
            {
                var (invoker, name, op) = ((PluginInvoker, string, string))state!;
                if (t.Exception is { } error)
                {
                    PluginHostLog.AbandonedCallFaulted(invoker._logger, name, op, error.GetBaseException());
                }
            },
            (this, pluginName, operation),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async ValueTask DisposeQuietlyAsync<T>(string pluginName, string operation, IAsyncEnumerator<T> enumerator)
    {
        try
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A stream abandoned mid-way (timeout, caller stopped) may refuse disposal; that is not the caller's problem.
            PluginHostLog.AbandonedCallFaulted(_logger, pluginName, operation, ex);
        }
    }
}
