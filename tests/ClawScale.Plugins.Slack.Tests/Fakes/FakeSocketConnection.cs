using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ClawScale.Plugins.Slack.Tests.Fakes;

/// <summary>One Socket Mode WebSocket accepted by <see cref="FakeSlackApi"/>: push frames, read the acks.</summary>
public sealed class FakeSocketConnection
{
    private readonly object _gate = new();
    private readonly List<string> _acks = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal FakeSocketConnection(string ticket, WebSocket socket)
    {
        Ticket = ticket;
        Socket = socket;
    }

    /// <summary>The ticket of the URL apps.connections.open gave for this connection.</summary>
    public string Ticket { get; }

    internal WebSocket Socket { get; }

    /// <summary>Envelope ids acknowledged on this connection, in order.</summary>
    public IReadOnlyList<string> Acks
    {
        get
        {
            lock (_gate)
                return _acks.ToArray();
        }
    }

    /// <summary>Completes when the client closed or dropped the connection.</summary>
    public Task Closed => _closed.Task;

    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>Sends a text frame.</summary>
    public async Task SendAsync(string json)
    {
        await _sendLock.WaitAsync();
        try
        {
            await Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends an events_api envelope wrapping an event_callback body.</summary>
    public Task SendEventAsync(string envelopeId, string eventCallbackJson, int retryAttempt = 0) =>
        SendAsync($"{{\"envelope_id\":\"{envelopeId}\",\"payload\":{eventCallbackJson},\"type\":\"events_api\",\"accepts_response_payload\":false,\"retry_attempt\":{retryAttempt},\"retry_reason\":\"{(retryAttempt > 0 ? "timeout" : "")}\"}}");

    /// <summary>Sends Slack's disconnect frame.</summary>
    public Task SendDisconnectAsync(string reason = "refresh_requested") =>
        SendAsync($"{{\"type\":\"disconnect\",\"reason\":\"{reason}\",\"debug_info\":{{\"host\":\"applink-fake\"}}}}");

    internal async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await Socket.ReceiveAsync(buffer, cancellationToken);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                    break;
                using var document = JsonDocument.Parse(message.ToArray());
                if (document.RootElement.TryGetProperty("envelope_id", out var id))
                {
                    lock (_gate)
                        _acks.Add(id.GetString()!);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            _closed.TrySetResult();
        }
    }
}
