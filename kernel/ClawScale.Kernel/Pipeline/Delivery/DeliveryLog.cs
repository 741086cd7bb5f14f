using ClawScale.Plugins.Logging;

namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>Log messages of the DELIVER stage (event ids 3000–3099).</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Delivery worker {WorkerId} started")]
    public static partial void WorkerStarted(ILogger logger, string workerId);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Delivery {DeliveryId} delivered on channel {ChannelId} (attempt {Attempt}, provider message {ProviderMessageId})")]
    public static partial void Delivered(ILogger logger, string deliveryId, string channelId, int attempt, SafeLogString providerMessageId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} on channel {ChannelId} failed (attempt {Attempt} of {MaxAttempts}), retrying at {NextAttemptAt:o}: {Error}")]
    public static partial void Retrying(ILogger logger, string deliveryId, string channelId, int attempt, int maxAttempts, DateTime nextAttemptAt, SafeLogString error);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Delivery {DeliveryId} on channel {ChannelId} is a dead letter after attempt {Attempt}: {Error}. Fix the cause, then AdminService.RetryDelivery revives it.")]
    public static partial void DeadLetter(ILogger logger, string deliveryId, string channelId, int attempt, SafeLogString error);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Delivery {DeliveryId}: the claim was lost (lease expired and taken over, or retried by an admin); outcome {Outcome} not recorded")]
    public static partial void ClaimLost(ILogger logger, string deliveryId, string outcome);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Delivery {DeliveryId} was interrupted by shutdown; it will be retried")]
    public static partial void Interrupted(ILogger logger, string deliveryId);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Delivery {DeliveryId} could not be processed")]
    public static partial void ProcessFailed(ILogger logger, string deliveryId, Exception exception);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Delivery {DeliveryId}: storing the outcome {Outcome} failed; trying again in {DelayMs:0} ms, until the claim's lease ends")]
    public static partial void OutcomeRetrying(ILogger logger, string deliveryId, string outcome, double delayMs, Exception exception);
}
