using System.Threading.Channels;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace ClawScale.Grpc.AspNetCore.Health;

/// <summary>
/// The serving status per service name that <c>grpc.health.v1.Health</c> reports (registered as a singleton by
/// <c>AddGrpcServer</c>). The empty name is the whole server and starts as SERVING. Per the gRPC health-checking
/// spec, Check of an unknown name gives NOT_FOUND and Watch gives SERVICE_UNKNOWN, then every later change.
/// </summary>
public sealed class HealthServiceState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal) { [""] = ServingStatus.Serving };
    private readonly Dictionary<string, List<Channel<ServingStatus>>> _watchers = new(StringComparer.Ordinal);

    /// <summary>Sets the status of <paramref name="service"/> (a fully qualified service name, or "" for the server) and notifies watchers.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            if (_statuses.TryGetValue(service, out var current) && current == status)
            {
                return;
            }

            _statuses[service] = status;
            Notify(service, status);
        }
    }

    /// <summary>Forgets <paramref name="service"/>: Check then gives NOT_FOUND and watchers see SERVICE_UNKNOWN.</summary>
    public void ClearStatus(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_lock)
        {
            if (_statuses.Remove(service))
            {
                Notify(service, ServingStatus.ServiceUnknown);
            }
        }
    }

    /// <summary>The status of <paramref name="service"/>; <c>false</c> when the name is unknown.</summary>
    public bool TryGetStatus(string service, out ServingStatus status)
    {
        lock (_lock)
        {
            return _statuses.TryGetValue(service, out status);
        }
    }

    /// <summary>Subscribes to <paramref name="service"/>: the reader gets the current status, then each change (latest wins).</summary>
    internal ChannelReader<ServingStatus> Subscribe(string service, out Action unsubscribe)
    {
        var channel = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock)
        {
            channel.Writer.TryWrite(_statuses.TryGetValue(service, out var status) ? status : ServingStatus.ServiceUnknown);
            if (!_watchers.TryGetValue(service, out var list))
            {
                _watchers[service] = list = [];
            }

            list.Add(channel);
        }

        unsubscribe = () =>
        {
            lock (_lock)
            {
                if (_watchers.TryGetValue(service, out var watchers) && watchers.Remove(channel) && watchers.Count == 0)
                {
                    _watchers.Remove(service);
                }
            }
        };
        return channel.Reader;
    }

    private void Notify(string service, ServingStatus status)
    {
        if (_watchers.TryGetValue(service, out var watchers))
        {
            foreach (var watcher in watchers)
            {
                watcher.Writer.TryWrite(status);
            }
        }
    }
}
