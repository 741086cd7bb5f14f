namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Stored turn status.</summary>
internal enum TurnStatusValue
{
    Pending = 1,
    Running = 2,
    /// <summary>Sent to an external runtime, waiting for its acknowledgement and reply.</summary>
    AwaitingRuntime = 3,
    Completed = 4,
    Failed = 5,
}
