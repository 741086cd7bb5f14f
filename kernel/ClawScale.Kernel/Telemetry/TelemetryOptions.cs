namespace ClawScale.Kernel.Telemetry;

/// <summary>
/// Metrics and traces, bound from <c>ClawScale:Telemetry</c>. The OpenTelemetry exporters follow the standard
/// <c>OTEL_*</c> environment variables as well: setting <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> turns on OTLP export of
/// metrics, traces and logs (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>,
/// <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c> apply as the OpenTelemetry specification says).
/// </summary>
public sealed record TelemetryOptions
{
    /// <summary>
    /// Serve the kernel's metrics in the Prometheus text format at <c>GET /metrics</c> on the HTTP port (not on the
    /// gRPC port, and without API-key authentication: restrict it at the network or ingress when the HTTP port is
    /// public). Default <see langword="true"/>.
    /// </summary>
    public bool PrometheusEnabled { get; init; } = true;

    /// <summary>
    /// Record traces: the <c>ClawScale.Kernel</c> activity source (ACCEPT, DISPATCH, DELIVER spans) with ASP.NET Core,
    /// HttpClient and gRPC client instrumentation. Spans leave the process only through an exporter (OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set); the W3C trace context is stored with turns and deliveries and sent to
    /// platforms and agents either way. Default <see langword="true"/>.
    /// </summary>
    public bool TracingEnabled { get; init; } = true;

    /// <summary>
    /// Add the tenant id (<c>clawscale.tenant.id</c>) as a label of the pipeline metrics. Off by default: every tenant
    /// multiplies the number of time series of each labelled instrument (by channel kind, agent kind and outcome), which
    /// a Prometheus server with thousands of tenants pays for in memory, and a scrape endpoint shared by tenants would
    /// list their ids. Turn it on for a few large tenants, or when the metrics backend is built for high cardinality.
    /// Default <see langword="false"/>.
    /// </summary>
    public bool TenantIdLabel { get; init; }
}
