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

    /// <summary>API key authentication settings.</summary>
    public SecurityOptions Security { get; init; } = new();

    /// <summary>Metrics and traces (<c>ClawScale:Telemetry</c>).</summary>
    public Telemetry.TelemetryOptions Telemetry { get; init; } = new();

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
    /// <summary>Largest request message accepted, in bytes (larger: RESOURCE_EXHAUSTED). Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Send exception messages to clients in UNKNOWN statuses. Default <see langword="false"/>; never in production.</summary>
    public bool EnableDetailedErrors { get; init; }
}

/// <summary>API key authentication settings.</summary>
public sealed record SecurityOptions
{
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
