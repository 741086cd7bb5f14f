using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using ClawScale.Kernel.Telemetry;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using ClawScale.Kernel.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace ClawScale.Kernel.Tests.Telemetry;

/// <summary>
/// Metrics and traces through the real host over HTTP: a signed webhook message answered by the echo agent and sent to
/// a fake platform is one trace from the caller's traceparent to the platform's request, and is counted with the
/// right labels; GET /metrics serves the Prometheus text format without an API key.
/// </summary>
public sealed class TelemetryTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_webhook_message_is_one_trace_from_the_callers_traceparent_to_the_platforms_request()
    {
        var spans = new SpanCollection();
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(),
            services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        await using var channel = await TracedWebhookChannel.StartAsync(kernel);
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpanId = ActivitySpanId.CreateRandom();

        Assert.Equal(HttpStatusCode.Accepted, await channel.PostAsync("msg-1", "status?", $"00-{traceId}-{callerSpanId}-01"));

        await Eventually.TrueAsync(() => !channel.Sends.IsEmpty, "the send to the fake platform", Bound);
        var (text, sentTraceParent) = channel.Sends.Single();
        Assert.Equal("echo: status?", text);
        await Eventually.TrueAsync(() => spans.Of(traceId).Any(s => s.DisplayName == "DELIVER"), "the DELIVER span", Bound);
        var trace = spans.Of(traceId);

        // The webhook's server span continues the caller's context (ASP.NET Core honours traceparent).
        var server = Assert.Single(trace, s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore" && s.GetTagItem("url.path") as string == "/webhooks/" + channel.ChannelId);
        Assert.Equal(callerSpanId, server.ParentSpanId);
        // ACCEPT → DISPATCH → DELIVER, each the parent of the next, through the database.
        var accept = Assert.Single(trace, s => s.Source.Name == KernelTracing.SourceName && s.DisplayName == "ACCEPT");
        Assert.Equal(server.SpanId, accept.ParentSpanId);
        Assert.Equal(channel.ChannelId, accept.GetTagItem("clawscale.channel.id"));
        var dispatch = Assert.Single(trace, s => s.Source.Name == KernelTracing.SourceName && s.DisplayName == "DISPATCH");
        Assert.Equal(accept.SpanId, dispatch.ParentSpanId);
        Assert.Equal("echo", dispatch.GetTagItem("clawscale.agent.kind"));
        var deliver = Assert.Single(trace, s => s.Source.Name == KernelTracing.SourceName && s.DisplayName == "DELIVER");
        Assert.Equal(dispatch.SpanId, deliver.ParentSpanId);
        Assert.Equal("delivered", deliver.GetTagItem("clawscale.outcome"));
        // The adapter's platform call is a client span under DELIVER, and its context is what the platform received.
        var send = Assert.Single(trace, s => s.Kind == ActivityKind.Client && s.ParentSpanId == deliver.SpanId);
        Assert.NotNull(sentTraceParent);
        Assert.True(ActivityContext.TryParse(sentTraceParent, null, out var sent), sentTraceParent);
        Assert.Equal(traceId, sent.TraceId);
        Assert.Equal(send.SpanId, sent.SpanId);

        // Every kernel span about this channel's message is in the caller's trace.
        var turnId = (string)dispatch.GetTagItem("clawscale.turn.id")!;
        var ours = spans.Snapshot().Where(s => s.Source.Name == KernelTracing.SourceName
            && (Equals(s.GetTagItem("clawscale.channel.id"), channel.ChannelId) || Equals(s.GetTagItem("clawscale.turn.id"), turnId))).ToList();
        Assert.Equal(3, ours.Count);
        Assert.All(ours, s => Assert.Equal(traceId, s.TraceId));
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_processed_message_and_an_auth_failure_are_counted_with_their_labels_and_served_at_metrics()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var meters = kernel.App.Services.GetRequiredService<IMeterFactory>();
        using var accepted = new MetricCollector<long>(meters, KernelMetrics.MeterName, "clawscale.inbound.accepted");
        using var refused = new MetricCollector<long>(meters, KernelMetrics.MeterName, "clawscale.inbound.refused");
        using var started = new MetricCollector<long>(meters, KernelMetrics.MeterName, "clawscale.turns.started");
        using var completed = new MetricCollector<long>(meters, KernelMetrics.MeterName, "clawscale.turns.completed");
        using var turnDuration = new MetricCollector<double>(meters, KernelMetrics.MeterName, "clawscale.turn.duration");
        using var sent = new MetricCollector<long>(meters, KernelMetrics.MeterName, "clawscale.deliveries.sent");
        using var sendDuration = new MetricCollector<double>(meters, KernelMetrics.MeterName, "clawscale.delivery.duration");
        using var latency = new MetricCollector<double>(meters, KernelMetrics.MeterName, "clawscale.reply.latency");
        using var authFailures = new MetricCollector<long>(meters, KernelMetrics.MeterName, "clawscale.api.auth.failures");
        await using var channel = await TracedWebhookChannel.StartAsync(kernel);

        Assert.Equal(HttpStatusCode.Accepted, await channel.PostAsync("msg-1", "hello"));
        await Eventually.TrueAsync(() => !channel.Sends.IsEmpty, "the send to the fake platform", Bound);
        Assert.Equal(HttpStatusCode.Accepted, await channel.PostAsync("msg-1", "hello"));
        await sent.WaitForMeasurementsAsync(1, Bound);
        await latency.WaitForMeasurementsAsync(1, Bound);

        var acceptedOne = Assert.Single(accepted.GetMeasurementSnapshot());
        Assert.Equal(1, acceptedOne.Value);
        Assert.Equal("webhook", acceptedOne.Tags[KernelMetrics.ChannelKindTag]);
        Assert.False(acceptedOne.Tags.ContainsKey(KernelMetrics.TenantTag), "the tenant id is not a label unless ClawScale:Telemetry:TenantIdLabel is on");
        var duplicate = Assert.Single(refused.GetMeasurementSnapshot());
        Assert.Equal(("webhook", "duplicate"), (duplicate.Tags[KernelMetrics.ChannelKindTag], duplicate.Tags[KernelMetrics.ReasonTag]));
        var startedOne = Assert.Single(started.GetMeasurementSnapshot());
        Assert.Equal(("webhook", "echo"), (startedOne.Tags[KernelMetrics.ChannelKindTag], startedOne.Tags[KernelMetrics.AgentKindTag]));
        var completedOne = Assert.Single(completed.GetMeasurementSnapshot());
        Assert.Equal(("webhook", "echo"), (completedOne.Tags[KernelMetrics.ChannelKindTag], completedOne.Tags[KernelMetrics.AgentKindTag]));
        Assert.Equal("completed", Assert.Single(turnDuration.GetMeasurementSnapshot()).Tags[KernelMetrics.OutcomeTag]);
        Assert.Equal("webhook", Assert.Single(sent.GetMeasurementSnapshot()).Tags[KernelMetrics.ChannelKindTag]);
        var attempt = Assert.Single(sendDuration.GetMeasurementSnapshot());
        Assert.Equal(("webhook", "delivered"), (attempt.Tags[KernelMetrics.ChannelKindTag], attempt.Tags[KernelMetrics.OutcomeTag]));
        Assert.InRange(Assert.Single(latency.GetMeasurementSnapshot()).Value, 0, Bound.TotalSeconds);

        // A gRPC call without a key: UNAUTHENTICATED, counted by method and reason.
        var ex = await Assert.ThrowsAsync<RpcException>(() => kernel.Admin.ListTurnsAsync(new ListTurnsRequest()).ResponseAsync);
        Assert.Equal(global::Grpc.Core.StatusCode.Unauthenticated, ex.StatusCode);
        var failure = Assert.Single(authFailures.GetMeasurementSnapshot());
        Assert.Equal(("clawscale.v1.AdminService/ListTurns", "unauthenticated"), (failure.Tags["rpc.method"], failure.Tags[KernelMetrics.ReasonTag]));

        // The Prometheus scrape: no API key, text format, the kernel's instruments with their units and labels.
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        string text = string.Empty;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            text = await response.Content.ReadAsStringAsync();
            return text.Contains("clawscale_api_auth_failures_total", StringComparison.Ordinal);
        }, "the scrape to include the auth failure", Bound);
        Assert.Contains("# TYPE clawscale_inbound_accepted_total counter", text, StringComparison.Ordinal);
        Assert.Contains("clawscale_inbound_accepted_total{", text, StringComparison.Ordinal);
        Assert.Contains("clawscale_channel_kind=\"webhook\"", text, StringComparison.Ordinal);
        Assert.Contains("clawscale_turns_completed_total", text, StringComparison.Ordinal);
        Assert.Contains("clawscale_deliveries_sent_total", text, StringComparison.Ordinal);
        Assert.Contains("clawscale_turn_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("clawscale_accept_queue_depth", text, StringComparison.Ordinal);
        Assert.Contains("rpc_server_call_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.DoesNotContain("clawscale_tenant_id", text, StringComparison.Ordinal);

        // Not a webhook route: a POST to /metrics is refused (405), not taken for a webhook.
        using var post = await http.PostAsync(new Uri("/metrics", UriKind.Relative), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task The_tenant_label_is_opt_in_and_metrics_can_be_switched_off()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?>
        {
            ["ClawScale:Telemetry:PrometheusEnabled"] = "false",
            ["ClawScale:Telemetry:TenantIdLabel"] = "true",
        });
        var meters = kernel.App.Services.GetRequiredService<IMeterFactory>();
        using var accepted = new MetricCollector<long>(meters, KernelMetrics.MeterName, "clawscale.inbound.accepted");
        await using var channel = await TracedWebhookChannel.StartAsync(kernel);

        Assert.Equal(HttpStatusCode.Accepted, await channel.PostAsync("msg-1", "hello"));

        Assert.Equal(channel.TenantId, Assert.Single(accepted.GetMeasurementSnapshot()).Tags[KernelMetrics.TenantTag]);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        await Eventually.TrueAsync(() => !channel.Sends.IsEmpty, "the send to the fake platform", Bound);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task With_OTEL_EXPORTER_OTLP_ENDPOINT_set_traces_metrics_and_logs_are_exported_over_OTLP()
    {
        var received = new ConcurrentDictionary<string, int>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.MapPost("/v1/{signal}", (string signal, HttpContext http) =>
        {
            if (http.Request.ContentType == "application/x-protobuf") received.AddOrUpdate(signal, 1, (_, n) => n + 1);
            return Results.Ok();
        });
        await collector.StartAsync();

        // The standard variables, as the configuration (which includes the environment) provides them.
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Urls.First(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        });
        await kernel.CreateTenantAsync(); // a traced gRPC call

        await Eventually.TrueAsync(() => received.ContainsKey("traces") && received.ContainsKey("metrics") && received.ContainsKey("logs"),
            "OTLP exports of traces, metrics and logs", Bound);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Console_logs_carry_a_utc_timestamp_by_default_and_the_json_formatter_a_Timestamp_without_padding()
    {
        var data = Directory.CreateTempSubdirectory("clawscale-logs-").FullName;
        var app = KernelApp.Create([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ClawScale:DataDirectory"] = data }));
        try
        {
            var simple = app.Services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue;
            Assert.Equal("yyyy-MM-dd'T'HH:mm:ss.fff'Z' ", simple.TimestampFormat);
            Assert.True(simple.UseUtcTimestamp);
            var json = app.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;
            Assert.Equal("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", json.TimestampFormat);
            Assert.True(json.UseUtcTimestamp);
        }
        finally
        {
            await app.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
