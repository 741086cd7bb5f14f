using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Hosting;
using ClawScale.Kernel.Pipeline;
using ClawScale.Plugins.Hosting;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ClawScale.Kernel.Telemetry;

/// <summary>
/// Wiring of metrics and traces through OpenTelemetry (<c>OpenTelemetry.Extensions.Hosting</c>):
/// <list type="bullet">
/// <item><description>Metrics: the kernel's meters (<see cref="KernelMetrics.MeterName"/>, <see cref="CallOutcomeInterceptor.MeterName"/>,
/// <see cref="PluginHostTelemetry.MeterName"/>) with ASP.NET Core, HttpClient and .NET runtime instrumentation; served at
/// <c>GET /metrics</c> in the Prometheus text format (<see cref="TelemetryOptions.PrometheusEnabled"/>).</description></item>
/// <item><description>Traces (<see cref="TelemetryOptions.TracingEnabled"/>): <see cref="KernelTracing.SourceName"/> with ASP.NET
/// Core (honours an incoming W3C <c>traceparent</c> on webhooks and gRPC calls; probes and scrapes are not traced),
/// HttpClient and gRPC client instrumentation (both send <c>traceparent</c> to platforms, agents and dial-out runtimes).</description></item>
/// <item><description>OTLP export of metrics, traces and logs when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (<c>UseOtlpExporter</c>, which reads the other <c>OTEL_EXPORTER_OTLP_*</c> variables too).</description></item>
/// </list>
/// The resource is <c>service.name</c> = <c>OTEL_SERVICE_NAME</c> or <c>clawscale-kernel</c>, with the kernel version and
/// <c>service.instance.id</c> = the instance id used in work claims.
/// Console logs carry a UTC timestamp by default (<c>Logging:Console:FormatterOptions</c> in appsettings.json); with the
/// JSON formatter (<c>Logging__Console__FormatterName=json</c>) it becomes the <c>Timestamp</c> property, without the
/// separating space the simple formatter needs.
/// </summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>The Prometheus scrape path on the HTTP port.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The service name when <c>OTEL_SERVICE_NAME</c> is not set.</summary>
    public const string DefaultServiceName = "clawscale-kernel";

    /// <summary>Registers <see cref="KernelMetrics"/> and OpenTelemetry as <paramref name="options"/> says.</summary>
    public static WebApplicationBuilder AddClawScaleTelemetry(this WebApplicationBuilder builder, TelemetryOptions options)
    {
        var services = builder.Services;
        services.PostConfigure<JsonConsoleFormatterOptions>(o => o.TimestampFormat = o.TimestampFormat?.TrimEnd());
        services.AddSingleton<KernelMetrics>();
        var version = typeof(KernelMetrics).Assembly.GetName().Version?.ToString();
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"];
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(
                string.IsNullOrWhiteSpace(serviceName) ? DefaultServiceName : serviceName,
                serviceVersion: version,
                autoGenerateServiceInstanceId: false,
                serviceInstanceId: KernelInstance.Id))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(KernelMetrics.MeterName, CallOutcomeInterceptor.MeterName, PluginHostTelemetry.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (options.PrometheusEnabled) metrics.AddPrometheusExporter();
            });
        if (options.TracingEnabled)
        {
            otel.WithTracing(tracing => tracing
                .AddSource(KernelTracing.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbeOrScrape(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddGrpcClientInstrumentation());
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) otel.UseOtlpExporter();
        return builder;
    }

    /// <summary>
    /// Maps <c>GET /metrics</c> (Prometheus text format) when <see cref="TelemetryOptions.PrometheusEnabled"/>: served on
    /// the HTTP port only (404 on the gRPC port; 405 for methods other than GET and HEAD), outside gRPC and its API-key interceptor, beside the webhook routes
    /// (<c>POST /webhooks/{channelId}</c>) without overlapping them.
    /// </summary>
    public static WebApplication MapClawScaleTelemetry(this WebApplication app, TelemetryOptions options)
    {
        if (!options.PrometheusEnabled) return app;
        var endpoints = app.Services.GetRequiredService<KernelEndpoints>();
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use((http, next) =>
        {
            if (http.Connection.LocalPort != endpoints.HttpAddress.Port)
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
            }
            else if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            {
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                http.Response.Headers.Allow = "GET, HEAD";
            }
            else
            {
                return next(http);
            }

            return Task.CompletedTask;
        }), optionsName: null);
        return app;
    }

    /// <summary>Health probes and metric scrapes: frequent, uninteresting, and not part of any message's trace.</summary>
    internal static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments(KernelHealthExtensions.LivePath)
        || path.StartsWithSegments(KernelHealthExtensions.ReadyPath) || path.StartsWithSegments(KernelHealthExtensions.HealthPath)
        || path.StartsWithSegments("/grpc.health.v1.Health");
}
