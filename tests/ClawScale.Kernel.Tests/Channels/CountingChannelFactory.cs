using System.Collections.Concurrent;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;

namespace ClawScale.Kernel.Tests.Channels;

/// <summary>
/// A built-in channel kind (<c>counting</c>) without a listener, like Telegram webhook mode or Slack's Events API: it
/// records the fake time of every <c>ConnectAsync</c> per channel (across adapter instances) and fails the first
/// connects given by the channel's config <c>fail_connects</c> (default 0) with an <see cref="HttpRequestException"/>
/// (a platform's 401), counted per adapter instance.
/// </summary>
internal sealed class CountingChannelFactory(TimeProvider time) : IChannelAdapterFactory
{
    public const string KindName = "counting";

    public string Kind => KindName;

    public ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> Connects { get; } = new();

    public IReadOnlyList<DateTimeOffset> ConnectsOf(string channelId) =>
        Connects.TryGetValue(channelId, out var q) ? q.ToArray() : [];

    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials) => [];

    public IChannelAdapter Create(ChannelContext context) => new Adapter(this, context.ChannelId,
        context.Config.TryGetValue("fail_connects", out var failures) ? int.Parse(failures, System.Globalization.CultureInfo.InvariantCulture) : 0);

    private sealed class Adapter(CountingChannelFactory owner, string channelId, int failures) : IChannelAdapter
    {
        private int _attempts;

        public bool UsesListener => false;

        public ValueTask ConnectAsync(CancellationToken cancellationToken)
        {
            var connects = owner.Connects.GetOrAdd(channelId, _ => new ConcurrentQueue<DateTimeOffset>());
            connects.Enqueue(owner._time.GetUtcNow());
            return Interlocked.Increment(ref _attempts) <= failures
                ? ValueTask.FromException(new HttpRequestException("auth.test answered invalid_auth (401)"))
                : ValueTask.CompletedTask;
        }

        public ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken) =>
            ValueTask.FromResult(SendResult.Delivered("pm-" + message.DeliveryId));

        public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private readonly TimeProvider _time = time;
}
