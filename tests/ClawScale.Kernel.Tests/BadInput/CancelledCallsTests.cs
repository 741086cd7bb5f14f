using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Tests.BadInput;

/// <summary>
/// Clients that reset or cancel their calls (RST_STREAM within a millisecond or two of starting them) on
/// RuntimeService.Connect: the kernel logs each below Warning and without a stack trace, ends it as CANCELLED (gRPC over
/// HTTP/2 spec, "Errors": a cancelled call is CANCELLED, never UNKNOWN) in the kernel's <c>rpc.server.call.duration</c>
/// metric, and keeps serving.
/// </summary>
public sealed class CancelledCallsTests(BadInputKernelFixture fixture) : IClassFixture<BadInputKernelFixture>
{
    private const int Calls = 400;
    private const int Parallel = 4;

    [SkippableFact]
    public async Task Bursts_of_cancelled_Connect_calls_are_cancelled_calls_not_errors()
    {
        var k = fixture.Host;
        var (tenant, _) = await k.CreateTenantAsync();
        var agent = (await k.Admin.CreateAgentAsync(new CreateAgentRequest { TenantId = tenant.Id, Name = "runtime", Kind = "external" }, k.AdminAuth)).Agent;
        var runtimeKey = (await k.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenant.Id, Name = "rt", Scope = ApiKeyScope.Runtime, AgentIds = { agent.Id } }, k.AdminAuth)).Secret;
        var statuses = new ConcurrentDictionary<string, int>();
        using var listener = ListenToGrpcStatuses(statuses);
        var logsBefore = k.Logs.Entries.Count;

        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async worker =>
        {
            while (Interlocked.Increment(ref next) <= Calls)
            {
                using var cts = new CancellationTokenSource();
                using var call = k.Runtime.Connect(KernelHost.Auth(runtimeKey), cancellationToken: cts.Token);
                try
                {
                    await call.RequestStream.WriteAsync(new ConnectRequest { Hello = new RuntimeHello { RuntimeName = "flaky" } });
                    cts.CancelAfter(TimeSpan.FromMilliseconds(1 + (next % 2)));
                    while (await call.ResponseStream.MoveNext(cts.Token))
                    {
                    }
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
                {
                    // The client's own view of its cancellation.
                }
            }
        }));

        // Every call has ended on the server once the metric counted it (bounded wait, no sleep).
        await Eventually.TrueAsync(() => statuses.Values.Sum() >= Calls, $"{Calls} Connect calls counted by rpc.response.status_code", TimeSpan.FromSeconds(30));
        Assert.True(statuses.GetValueOrDefault("CANCELLED") >= Calls * 9 / 10, $"expected CANCELLED for the cancelled calls, got {Describe(statuses)}");
        Assert.False(statuses.ContainsKey("UNKNOWN"), $"no call may end UNKNOWN: {Describe(statuses)}");

        var entries = k.Logs.Entries.Skip(logsBefore).ToList();
        var loud = entries.Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception?.GetType().Name}").ToList();
        Assert.True(loud.Count == 0, "logged at Warning or above:\n" + string.Join("\n", loud.Take(10)));
        var withStack = entries.Where(e => e.Exception is not null).Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception!.GetType().Name}").ToList();
        Assert.True(withStack.Count == 0, "logged with an exception (stack trace):\n" + string.Join("\n", withStack.Take(10)));

        // The kernel still serves runtimes and admins.
        await using var runtime = await Runtime.TestRuntime.ConnectAsync(k, runtimeKey, new RuntimeHello { RuntimeName = "steady" });
        Assert.Equal([agent.Id], runtime.Welcome.AgentIds);
        Assert.NotEmpty((await k.Admin.ListTenantsAsync(new ListTenantsRequest(), k.AdminAuth)).Tenants);
    }

    /// <summary>Counts RuntimeService.Connect calls by <c>rpc.response.status_code</c> of the kernel's <c>rpc.server.call.duration</c>.</summary>
    private static MeterListener ListenToGrpcStatuses(ConcurrentDictionary<string, int> statuses)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "ClawScale.Kernel.Grpc" && instrument.Name == "rpc.server.call.duration") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            string? method = null, status = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "rpc.method") method = tag.Value?.ToString();
                else if (tag.Key == "rpc.response.status_code") status = tag.Value?.ToString();
            }

            if (method?.Contains("RuntimeService/Connect", StringComparison.Ordinal) == true) statuses.AddOrUpdate(status ?? "none", 1, (_, n) => n + 1);
        });
        listener.Start();
        return listener;
    }

    private static string Describe(ConcurrentDictionary<string, int> statuses) =>
        string.Join(", ", statuses.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"));
}
