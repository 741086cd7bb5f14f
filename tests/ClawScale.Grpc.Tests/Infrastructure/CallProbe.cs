namespace ClawScale.Grpc.Tests.Infrastructure;

/// <summary>What the server-side handlers observed, for assertions (one per server).</summary>
public sealed class CallProbe
{
    public TaskCompletionSource HandlerStarted { get; private set; } = NewTcs();

    public TaskCompletionSource HandlerCancelled { get; private set; } = NewTcs();

    public string? LastMethod { get; set; }

    public string? LastPeer { get; set; }

    public DateTime LastDeadline { get; set; }

    public string? LastProtocol { get; set; }

    public int InterceptorCalls;

    public void Reset()
    {
        HandlerStarted = NewTcs();
        HandlerCancelled = NewTcs();
    }

    private static TaskCompletionSource NewTcs() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
