using System.Collections;
using System.Diagnostics;

namespace ClawScale.Kernel.Tests.Telemetry;

/// <summary>
/// A thread-safe collection for OpenTelemetry's in-memory exporter: the exporter adds finished spans while the test
/// reads <see cref="Snapshot"/>. Activity listeners are process-wide, so it also receives the spans of kernels of
/// other tests running at the same time: tests pick theirs by trace id.
/// </summary>
internal sealed class SpanCollection : ICollection<Activity>
{
    private readonly List<Activity> _items = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate) return _items.Count;
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_gate) return [.. _items];
    }

    /// <summary>The finished spans of <paramref name="traceId"/>.</summary>
    public IReadOnlyList<Activity> Of(ActivityTraceId traceId) => Snapshot().Where(a => a.TraceId == traceId).ToList();

    public void Add(Activity item)
    {
        lock (_gate) _items.Add(item);
    }

    public void Clear()
    {
        lock (_gate) _items.Clear();
    }

    public bool Contains(Activity item)
    {
        lock (_gate) return _items.Contains(item);
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_gate) _items.CopyTo(array, arrayIndex);
    }

    public bool Remove(Activity item)
    {
        lock (_gate) return _items.Remove(item);
    }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
