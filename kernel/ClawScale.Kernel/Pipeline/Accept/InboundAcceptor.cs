using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Identity;
using ClawScale.Kernel.Telemetry;
using ClawScale.Plugins.Messages;
using Grpc.Core;

namespace ClawScale.Kernel.Pipeline.Accept;

/// <summary>
/// <see cref="IInboundAcceptor"/> over the kernel database. Filters what is not for the bot (bots, group messages not
/// addressed to it, senders over <see cref="PipelineOptions.SenderMessagesPerMinute"/>), normalizes senders, and hands
/// the call to <see cref="AcceptQueue"/>, which stores it, together with the calls waiting at that moment, in one
/// transaction with race-free upserts (<c>INSERT … ON CONFLICT</c>), so concurrent webhook retries and several kernel
/// instances never create duplicates. The platform is acknowledged only after the commit.
/// Each call is the span <c>ACCEPT</c> (<see cref="KernelTracing"/>), whose W3C context is stored with the turns so
/// DISPATCH and DELIVER continue the caller's trace; messages are counted in <c>clawscale.inbound.accepted</c> and
/// <c>clawscale.inbound.refused</c> (<see cref="KernelMetrics"/>).
/// </summary>
internal sealed partial class InboundAcceptor(
    AcceptQueue queue,
    SenderRateLimiter senders,
    Microsoft.Extensions.Options.IOptions<PipelineOptions> options,
    KernelMetrics metrics,
    ILogger<InboundAcceptor> logger) : IInboundAcceptor
{
    public async Task<AcceptResult> AcceptAsync(ChannelHandle channel, IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
    {
        using var activity = KernelTracing.StartAccept(channel.ChannelId, channel.Kind, channel.TenantId, messages.Count);
        var result = await AcceptCoreAsync(channel, messages, cancellationToken);
        activity?.SetTag("clawscale.message.accepted", result.Accepted);
        return result;
    }

    private async Task<AcceptResult> AcceptCoreAsync(ChannelHandle channel, IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
    {
        int ignored = 0, limited = 0;
        var prepared = new List<PreparedInbound>(messages.Count);
        foreach (var message in messages)
        {
            if (message.Sender.IsBot || !message.AddressedToBot)
            {
                ignored++;
                continue;
            }

            if (!senders.TryAcquire(channel.ChannelId, message.Sender.Value))
            {
                // Logged by the limiter, once per episode rather than per message.
                limited++;
                ignored++;
                continue;
            }

            prepared.Add(Prepare(channel, message));
        }

        metrics.InboundRefused(channel.Kind, channel.TenantId, KernelMetrics.RefusedIgnored, ignored - limited);
        metrics.InboundRefused(channel.Kind, channel.TenantId, KernelMetrics.RefusedSenderLimited, limited);
        if (prepared.Count == 0) return new AcceptResult(0, 0, ignored, [], limited);
        string?[] turnIds;
        try
        {
            turnIds = await queue.SubmitAsync(new AcceptCall(channel, prepared, KernelTracing.CurrentTraceParent()), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.InboundRefused(channel.Kind, channel.TenantId, ex is PipelineOverloadedException ? KernelMetrics.RefusedOverloaded : KernelMetrics.RefusedUnavailable, prepared.Count);
            KernelTracing.SetError(System.Diagnostics.Activity.Current, ex is PipelineOverloadedException ? "overloaded" : "not stored");
            throw;
        }

        var turns = turnIds.OfType<string>().ToList();
        var duplicates = turnIds.Length - turns.Count;
        metrics.InboundAccepted(channel.Kind, channel.TenantId, turns.Count);
        metrics.InboundRefused(channel.Kind, channel.TenantId, KernelMetrics.RefusedDuplicate, duplicates);
        LogAccepted(logger, channel.ChannelId, turns.Count, duplicates, ignored);
        return new AcceptResult(turns.Count, duplicates, ignored, turns, limited);
    }

    private PreparedInbound Prepare(ChannelHandle channel, InboundMessage message)
    {
        string provider, identityType, value;
        try
        {
            (provider, identityType, value) = IdentityNormalizer.Normalize(message.Sender.Provider, message.Sender.IdentityType, message.Sender.Value, "sender");
        }
        catch (RpcException ex)
        {
            throw new InvalidOperationException($"The {channel.Kind} adapter produced an invalid sender: {ex.Status.Detail}", ex);
        }

        var displayName = message.Sender.DisplayName ?? message.Sender.Username ?? string.Empty;
        // The inbound event keeps the message as the platform sent it; the stored message (what agents get) is cut.
        var payload = AttachmentJson.WriteInbound(message);
        var max = options.Value.MaxInboundTextLength;
        if (message.Text is { } text && text.Length > max)
        {
            message = message with { Text = InboundText.Cut(text, max) };
            LogTextCut(logger, channel.ChannelId, message.ProviderMessageId, text.Length, max);
        }

        return new PreparedInbound(message, provider, identityType, value, displayName.Length > 200 ? displayName[..200] : displayName, payload);
    }

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Channel {ChannelId}: message {ProviderMessageId} has {Length} characters of text, over ClawScale:Pipeline:MaxInboundTextLength ({Limit}); it is accepted, agents get its beginning with a truncation marker, the inbound event keeps the full text")]
    private static partial void LogTextCut(ILogger logger, string channelId, string providerMessageId, int length, int limit);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Channel {ChannelId}: accepted {Accepted}, duplicates {Duplicates}, ignored {Ignored}")]
    private static partial void LogAccepted(ILogger logger, string channelId, int accepted, int duplicates, int ignored);
}
