namespace ClawScale.Kernel.Hosting;

/// <summary>
/// The kernel's configuration, bound from the <c>ClawScale</c> section (appsettings.json, <c>ClawScale__…</c>
/// environment variables, or <c>--ClawScale:…</c> command-line arguments) and validated at start by
/// <see cref="ClawScaleOptionsValidator"/>, which lists every error at once.
/// </summary>
public sealed record ClawScaleOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "ClawScale";

    /// <summary>
    /// Folder for the SQLite database, the Data Protection key ring, the first admin key and the plugins directory.
    /// Relative paths are resolved against the current directory. Default <c>data</c>.
    /// </summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>Address the kernel listens on. Default <c>127.0.0.1</c>; use <c>0.0.0.0</c> to accept outside traffic.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary>HTTP/1.1 port for webhooks, health and pages. Default 4040; 0 picks a free port.</summary>
    public int HttpPort { get; init; } = 4040;

    /// <summary>HTTP/2 port for gRPC (h2c, or TLS when <see cref="Tls"/> is set). Default 4041; 0 picks a free port.</summary>
    public int GrpcPort { get; init; } = 4041;

    /// <summary>
    /// The kernel's public base URL (for example <c>https://gw.example.com</c>), used to tell platforms where
    /// webhooks go. Optional; without it, channels that need webhooks use their listener mode.
    /// </summary>
    public string? PublicBaseUrl { get; init; }

    /// <summary>
    /// The plugin manifest listing plugins to load; relative paths are resolved against the current directory.
    /// Default <c>plugins.json</c>. Plugin folders dropped into <c>{DataDirectory}/plugins</c> load too.
    /// </summary>
    public string PluginsManifest { get; init; } = "plugins.json";

    /// <summary>Pick up plugin changes (manifest edits, rebuilt or dropped folders) without a restart. Default true.</summary>
    public bool WatchPlugins { get; init; } = true;

    /// <summary>
    /// Creates a <c>demo</c> tenant with a web chat channel bound to the echo agent on start, so the whole flow can be
    /// tried without any platform account. Default false; on in the Development environment (appsettings.Development.json).
    /// </summary>
    public bool Demo { get; init; }

    /// <summary>TLS for both ports. Optional: plaintext when unset.</summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>Database settings.</summary>
    public DatabaseOptions Database { get; init; } = new();

    /// <summary>gRPC limits.</summary>
    public GrpcLimitsOptions Grpc { get; init; } = new();

    /// <summary>First-start settings.</summary>
    public BootstrapOptions Bootstrap { get; init; } = new();

    /// <summary>API key authentication and outbound network settings.</summary>
    public SecurityOptions Security { get; init; } = new();

    /// <summary>Metrics and traces (<c>ClawScale:Telemetry</c>).</summary>
    public Telemetry.TelemetryOptions Telemetry { get; init; } = new();

    /// <summary>The admin web console at <c>/console</c> on the HTTP port (<c>ClawScale:Console</c>).</summary>
    public ClawScale.Kernel.Console.ConsoleOptions Console { get; init; } = new();

    /// <summary>
    /// Folder of the Data Protection key ring that encrypts credentials at rest. Default <c>{DataDirectory}/keys</c>.
    /// Kernel instances sharing one database must share this folder (or a copy of it).
    /// </summary>
    public string? KeysDirectory { get; init; }
}

/// <summary>TLS settings: a PKCS#12 (.pfx) certificate.</summary>
public sealed record TlsOptions
{
    /// <summary>Path of the .pfx file. Required when the section is present.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>Password of the .pfx file, or <see langword="null"/>.</summary>
    public string? CertificatePassword { get; init; }
}

/// <summary>Database settings.</summary>
public sealed record DatabaseOptions
{
    /// <summary>
    /// PostgreSQL connection string (Npgsql format). When set, the kernel uses PostgreSQL; otherwise the embedded
    /// SQLite file <see cref="SqliteFileName"/> in the data directory.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>SQLite file name, relative to the data directory. Default <c>clawscale.db</c>.</summary>
    public string SqliteFileName { get; init; } = "clawscale.db";

    /// <summary>Apply pending migrations at start. Default <see langword="true"/>.</summary>
    public bool MigrateOnStart { get; init; } = true;
}

/// <summary>gRPC limits.</summary>
public sealed record GrpcLimitsOptions
{
    /// <summary>The smallest <see cref="MaxSendMessageSize"/> accepted: 64 KiB.</summary>
    public const int MinSendMessageSize = 64 * 1024;

    /// <summary>Largest request message accepted, in bytes (larger: RESOURCE_EXHAUSTED). Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Largest response message sent, in bytes (grpc-dotnet's <c>MaxSendMessageSize</c>: a larger one fails its call
    /// with RESOURCE_EXHAUSTED). Default 4 MiB, the receive limit gRPC clients have by default (grpc-dotnet, grpcio,
    /// grpc-js); raise it only with your clients' limit. Turns sent to runtimes (<c>RuntimeTurn</c>) are fitted under it
    /// (<c>ClawScale:Pipeline:HistoryMaxBytes</c>). Between 65536 and 67108864.
    /// </summary>
    public int MaxSendMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Send exception messages to clients in UNKNOWN statuses. Default <see langword="false"/>; never in production.</summary>
    public bool EnableDetailedErrors { get; init; }
}

/// <summary>API key authentication and outbound network settings.</summary>
public sealed record SecurityOptions
{
    /// <summary>
    /// Whether outbound calls made for plugins (channel APIs such as <c>api_base_url</c> or <c>callback_url</c>, agent
    /// <c>base_url</c>s, the WebSockets plugins open) and for dial-out runtimes (<c>endpoint</c>) may connect to
    /// non-public addresses: loopback, private (RFC 1918, fc00::/7), link-local (169.254.0.0/16 with the cloud metadata
    /// address 169.254.169.254, fe80::/10), carrier-grade NAT (100.64.0.0/10), unspecified, multicast, reserved and
    /// documentation ranges, and IPv6 forms embedding such an IPv4 address. Checked at connect time after DNS
    /// resolution, so a host name resolving to such an address (<c>localhost</c>) is refused too. Default
    /// <see langword="false"/>: a refused call fails naming the host, the address and this setting. Set it to
    /// <see langword="true"/> for development and tests, or to reach a model server on the same machine or network
    /// (Ollama at <c>http://localhost:11434</c>).
    /// </summary>
    public bool AllowPrivateNetworkTargets { get; init; }

    /// <summary>
    /// How long a verified API key is kept in memory before the database is asked again. This is the longest time a
    /// key revoked (or whose tenant was deleted) through <em>another</em> kernel instance sharing the database keeps
    /// working here; on the instance that revoked it, it stops at once. Default 30 s; <see cref="TimeSpan.Zero"/>
    /// checks the database on every call; at most 10 minutes.
    /// </summary>
    public TimeSpan ApiKeyCacheTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most verified keys kept in memory (unknown keys are never kept). Default 10,000; beyond it, a key not in
    /// the cache is checked against the database on every call.
    /// </summary>
    public int ApiKeyCacheSize { get; init; } = 10_000;

    /// <summary>
    /// Failed API-key checks (a key that is unknown, revoked or malformed; each unknown one costs a database query) one
    /// client address may make within <see cref="AuthFailureWindow"/> before its calls are refused with RESOURCE_EXHAUSTED for
    /// one window, without querying the database (<see cref="Security.AuthFailureLimiter"/>). Per kernel instance;
    /// IPv6 addresses count per /64. Default 10; 0 switches the limit off; at most 1,000,000.
    /// </summary>
    public int AuthFailureLimit { get; init; } = 10;

    /// <summary>
    /// The window of <see cref="AuthFailureLimit"/>: failures are counted from the first one for this long, and an address
    /// that reaches the limit is refused for this long from the failure that reached it. Default 1 minute; between 1 second and 1 day.
    /// </summary>
    public TimeSpan AuthFailureWindow { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>First-start settings.</summary>
public sealed record BootstrapOptions
{
    /// <summary>
    /// When no platform-admin key exists, one is created and its secret written to this file (relative to the
    /// data directory, mode 0600). Default <c>admin-api-key</c>.
    /// </summary>
    public string AdminKeyFile { get; init; } = "admin-api-key";

    /// <summary>
    /// A platform-admin key secret to ensure exists (for automation and tests), <c>csk_</c> followed by at least
    /// 32 characters. Optional.
    /// </summary>
    public string? AdminApiKey { get; init; }
}
