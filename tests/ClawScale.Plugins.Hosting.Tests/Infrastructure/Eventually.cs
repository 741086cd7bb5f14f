using System.Diagnostics;

namespace ClawScale.Plugins.Hosting.Tests.Infrastructure;

/// <summary>Waits for a condition with a bound, polling; never a blind sleep.</summary>
public static class Eventually
{
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? bound = null)
    {
        var limit = bound ?? TimeSpan.FromSeconds(10);
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds} s waiting until {what}.");
            }

            await Task.Delay(25);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? bound = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what, bound);

    /// <summary>Collects garbage until <paramref name="reference"/> is dead (an unloaded load context), or fails after the bound.</summary>
    public static Task WaitUntilCollectedAsync(WeakReference reference, string what) =>
        WaitUntilAsync(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return !reference.IsAlive;
        }, what);
}
