using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Pipeline.Delivery;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Kernel.Tests.Pipeline;
using ClawScale.Plugins.Channels;
using ClawScale.Protos.V1;
using ClawScale.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Tests.Channels;

/// <summary>
/// The <see cref="ChannelSupervisor"/> through the real kernel on a fake clock, with a listener-less channel kind
/// (<see cref="CountingChannelFactory"/>, like Telegram webhook mode or Slack's Events API): a healthy channel is
/// connected once, not at every scan; again after UpdateChannel; a failing one is retried with backoff (5 s, 10 s,
/// 20 s, 40 s) and logged once per failure episode, its status error while failing and connected after.
/// </summary>
public sealed class ChannelSupervisorTests
{
    private static readonly TimeSpan Scan = ChannelSupervisor.ScanInterval;

    [Fact]
    public async Task A_healthy_channel_without_a_listener_is_connected_once_and_again_only_after_its_configuration_changes()
    {
        await using var h = await Harness.StartAsync();
        var channel = await h.CreateChannelAsync();
        await Eventually.TrueAsync(async () => (await h.StatusAsync(channel.Id)).Status == ChannelStatus.Connected, "channel connected");

        for (var i = 0; i < 4; i++) await h.ScanAsync();
        Assert.Single(h.Factory.ConnectsOf(channel.Id));

        await h.Kernel.Admin.UpdateChannelAsync(new UpdateChannelRequest { ChannelId = channel.Id, Config = { ["region"] = "eu" } }, h.Auth);
        await Eventually.TrueAsync(() => h.Factory.ConnectsOf(channel.Id).Count >= 2, "a second connect after UpdateChannel");
        for (var i = 0; i < 4; i++) await h.ScanAsync();
        Assert.Equal(2, h.Factory.ConnectsOf(channel.Id).Count);
        Assert.Equal(ChannelStatus.Connected, (await h.StatusAsync(channel.Id)).Status);
        h.Kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_failing_channel_is_retried_with_growing_backoff_and_logged_once_per_failure_episode()
    {
        await using var h = await Harness.StartAsync();
        var channel = await h.CreateChannelAsync(failConnects: 4);
        await Eventually.TrueAsync(() => h.Factory.ConnectsOf(channel.Id).Count >= 1, "the first connect");
        var t0 = h.Factory.ConnectsOf(channel.Id)[0];
        await Eventually.TrueAsync(async () => (await h.StatusAsync(channel.Id)).Status == ChannelStatus.Error, "status error");
        Assert.Contains("invalid_auth", (await h.StatusAsync(channel.Id)).LastError, StringComparison.Ordinal);

        // Expected attempts (no jitter): t0, +5 s, +15 s, +35 s, +75 s (the fifth succeeds). Walk the clock a scan
        // interval at a time, each time waiting until the supervisor is idle again: the next scan pending and, while the
        // channel fails, its retry pending for exactly the time left until the next expected attempt.
        TimeSpan[] expected = [TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(75)];
        while (true)
        {
            var elapsed = h.Time.GetUtcNow() - t0;
            var due = expected.Count(e => e <= elapsed);
            List<TimeSpan> idle = [Scan];
            if (due < expected.Length) idle.Add(expected[due] - elapsed);
            await h.WaitUntilAsync(() => h.Factory.ConnectsOf(channel.Id).Count >= due && h.Pending(idle),
                () => $"at +{elapsed.TotalSeconds} s: connects at +[{string.Join(", ", h.Factory.ConnectsOf(channel.Id).Select(c => (c - t0).TotalSeconds))}] s, pending [{string.Join(", ", h.Time.PendingDelays)}]");
            if (due == expected.Length) break;
            h.Time.Advance(Scan);
        }

        Assert.Equal(expected, h.Factory.ConnectsOf(channel.Id).Select(c => c - t0));
        await Eventually.TrueAsync(async () => (await h.StatusAsync(channel.Id)).Status == ChannelStatus.Connected, "status connected after recovery");
        Assert.Equal(string.Empty, (await h.StatusAsync(channel.Id)).LastError);

        var logs = h.Kernel.Logs.Entries.ToList();
        var failed = Assert.Single(logs, e => e.EventId.Id == 2502);
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Null(failed.Exception);
        Assert.Contains("invalid_auth", failed.Message, StringComparison.Ordinal);
        var recovered = Assert.Single(logs, e => e.EventId.Id == 2507);
        Assert.Equal(LogLevel.Information, recovered.Level);
        Assert.DoesNotContain(logs, e => e.Level >= LogLevel.Warning && e.Exception is not null);
        h.Kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public void The_connect_backoff_doubles_from_5_seconds_to_at_most_5_minutes_with_jitter()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), ChannelSupervisor.ConnectRetryDelay(1, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(10), ChannelSupervisor.ConnectRetryDelay(2, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(160), ChannelSupervisor.ConnectRetryDelay(6, 0.5));
        Assert.Equal(TimeSpan.FromMinutes(5), ChannelSupervisor.ConnectRetryDelay(7, 0.5));
        Assert.Equal(TimeSpan.FromMinutes(5), ChannelSupervisor.ConnectRetryDelay(1000, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(4), ChannelSupervisor.ConnectRetryDelay(1, 0));
        Assert.True(ChannelSupervisor.ConnectRetryDelay(1, 0.9999) < TimeSpan.FromSeconds(6));
    }

    private sealed class Harness : IAsyncDisposable
    {
        private Harness(KernelHost kernel, TrackingFakeTimeProvider time, CountingChannelFactory factory, string key)
        {
            Kernel = kernel;
            Time = time;
            Factory = factory;
            Auth = KernelHost.Auth(key);
        }

        public KernelHost Kernel { get; }

        public TrackingFakeTimeProvider Time { get; }

        public CountingChannelFactory Factory { get; }

        public global::Grpc.Core.Metadata Auth { get; }

        public static async Task<Harness> StartAsync()
        {
            var time = new TrackingFakeTimeProvider();
            var factory = new CountingChannelFactory(time);
            var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), services: s =>
            {
                s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
                s.Replace(ServiceDescriptor.Singleton<IJitter>(new FixedJitter()));
                s.AddSingleton<IChannelAdapterFactory>(factory);
            });
            var (_, key) = await kernel.CreateTenantAsync();
            return new Harness(kernel, time, factory, key);
        }

        public async Task<Channel> CreateChannelAsync(int failConnects = 0) =>
            (await Kernel.Admin.CreateChannelAsync(new CreateChannelRequest
            {
                Kind = CountingChannelFactory.KindName,
                DisplayName = "counting",
                Config = { ["fail_connects"] = failConnects.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            }, Auth)).Channel;

        public async Task<Channel> StatusAsync(string channelId) =>
            (await Kernel.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = channelId }, Auth)).Channel;

        /// <summary>Lets one scan interval pass: waits for the scan's timer, advances past it, and waits for the next one.</summary>
        public async Task ScanAsync()
        {
            await Time.WaitForPendingDelayAsync(Scan);
            Time.Advance(Scan);
            await Time.WaitForPendingDelayAsync(Scan);
        }

        /// <summary>Whether timers with these delays left are pending (as a multiset: two equal delays need two timers).</summary>
        public bool Pending(IEnumerable<TimeSpan> delays)
        {
            var pending = Time.PendingDelays.ToList();
            return delays.All(pending.Remove);
        }

        public async Task WaitUntilAsync(Func<bool> condition, Func<string> state)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (!condition())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("The supervisor did not settle: " + state());
                await Task.Delay(10);
            }
        }

        public async ValueTask DisposeAsync() => await Kernel.DisposeAsync();
    }
}
