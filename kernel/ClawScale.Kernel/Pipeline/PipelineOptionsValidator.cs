using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// Validates <see cref="PipelineOptions"/> at start and reports every out-of-range setting at once, each naming its key
/// (<c>ClawScale:Pipeline:…</c>), its value and the allowed range. Runs beside the <c>ClawScale</c> section's
/// validator, so the host lists both sets of errors together.
/// </summary>
/// <param name="maxSendMessageSize">
/// <c>ClawScale:Grpc:MaxSendMessageSize</c>, which bounds <see cref="PipelineOptions.HistoryMaxBytes"/> (at most half
/// of it); not checked against when it is out of its own range (that error is reported with the <c>ClawScale</c> ones).
/// </param>
internal sealed class PipelineOptionsValidator(int maxSendMessageSize) : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        var errors = new List<string>();
        Range(errors, nameof(options.LeaseDuration), options.LeaseDuration, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Range(errors, nameof(options.PollInterval), options.PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        Range(errors, nameof(options.DeliveryMaxAttempts), options.DeliveryMaxAttempts, 1, 1000);
        Range(errors, nameof(options.RetryBaseDelay), options.RetryBaseDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        Range(errors, nameof(options.RetryMaxDelay), options.RetryMaxDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
        if (options.RetryMaxDelay < options.RetryBaseDelay)
            errors.Add($"{PipelineOptions.SectionName}:RetryMaxDelay {options.RetryMaxDelay} must not be less than {PipelineOptions.SectionName}:RetryBaseDelay {options.RetryBaseDelay}.");
        Range(errors, nameof(options.SendConcurrencyPerChannel), options.SendConcurrencyPerChannel, 1, 10_000);
        if (!(options.SendRatePerChannel > 0 && options.SendRatePerChannel <= 1_000_000))
            errors.Add($"{PipelineOptions.SectionName}:SendRatePerChannel {options.SendRatePerChannel} must be greater than 0 and at most 1000000 sends per second.");
        Range(errors, nameof(options.MaxConcurrentTurns), options.MaxConcurrentTurns, 1, 100_000);
        Range(errors, nameof(options.TurnTimeout), options.TurnTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Range(errors, nameof(options.HistoryWindow), options.HistoryWindow, 0, 10_000);
        if (maxSendMessageSize is >= Hosting.GrpcLimitsOptions.MinSendMessageSize and <= 64 * 1024 * 1024)
        {
            if (options.HistoryMaxBytes < 1024 || options.HistoryMaxBytes > maxSendMessageSize / 2)
                errors.Add($"{PipelineOptions.SectionName}:HistoryMaxBytes {options.HistoryMaxBytes} must be between 1024 and {maxSendMessageSize / 2} bytes (half of ClawScale:Grpc:MaxSendMessageSize {maxSendMessageSize}, so that a turn's history and its message fit one gRPC message).");
        }
        Range(errors, nameof(options.MaxInboundTextLength), options.MaxInboundTextLength, 256, 1024 * 1024);
        Range(errors, nameof(options.MaxWebhookBodyBytes), options.MaxWebhookBodyBytes, 1024, 64 * 1024 * 1024);
        Range(errors, nameof(options.AcceptBatchSize), options.AcceptBatchSize, 1, 100_000);
        Range(errors, nameof(options.AcceptQueueLimit), options.AcceptQueueLimit, 1, 10_000_000);
        Range(errors, nameof(options.SenderMessagesPerMinute), options.SenderMessagesPerMinute, 0, 100_000_000);
        Range(errors, nameof(options.RuntimeHeartbeatInterval), options.RuntimeHeartbeatInterval, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
            errors.Add($"{PipelineOptions.SectionName}:{key} {value} must be between {min} and {max}.");
    }

    private static void Range(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
            errors.Add($"{PipelineOptions.SectionName}:{key} {value} must be between {min} and {max}.");
    }
}
