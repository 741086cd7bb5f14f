using System.Reflection;
using ClawScale.Kernel.Pipeline;

namespace ClawScale.Kernel.Hosting;

/// <summary>
/// The kernel's own command-line switches, answered before anything is built or started (no data directory, no
/// database, no port): <c>--help</c> (also <c>-h</c>, <c>-?</c>) prints <see cref="Usage"/>, <c>--version</c> prints
/// <see cref="Version"/>. Every other argument is configuration (<c>--ClawScale:HttpPort=5050</c>).
/// </summary>
internal static class KernelCommandLine
{
    /// <summary>What the arguments ask for.</summary>
    public enum Request
    {
        /// <summary>Run the kernel.</summary>
        Run,

        /// <summary>Print the usage and exit 0.</summary>
        Help,

        /// <summary>Print the version and exit 0.</summary>
        Version,
    }

    /// <summary>Whether <paramref name="args"/> ask for help or the version (help wins when both are given).</summary>
    public static Request Parse(IReadOnlyList<string> args)
    {
        if (args.Any(a => a is "--help" or "-h" or "-?" or "/?")) return Request.Help;
        return args.Any(a => a == "--version") ? Request.Version : Request.Run;
    }

    /// <summary>
    /// The kernel assembly's informational version (<c>AssemblyInformationalVersionAttribute</c>: the project version
    /// and, when built from git, <c>+</c> the commit), for example <c>1.0.0+9c3bbe40…</c>.
    /// </summary>
    public static string Version =>
        typeof(KernelCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(KernelCommandLine).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>The usage text: how to run the kernel, the main settings with their defaults and the forms they take.</summary>
    public static string Usage
    {
        get
        {
            var o = new ClawScaleOptions();
            var p = new PipelineOptions();
            return $"""
                ClawScale kernel {Version}: a gRPC-first gateway between chat platforms and agent runtimes.

                Usage:
                  dotnet ClawScale.Kernel.dll [--ClawScale:<Key>=<value> ...]
                  dotnet run --project kernel/ClawScale.Kernel -- [--ClawScale:<Key>=<value> ...]
                  dotnet ClawScale.Kernel.dll --help | --version

                Without settings: SQLite in ./{o.DataDirectory}, HTTP/1.1 (webhooks, web chat, /healthz) on {o.ListenAddress}:{o.HttpPort},
                gRPC (plaintext HTTP/2) on {o.ListenAddress}:{o.GrpcPort}; the first start writes a platform-admin API key to
                {o.DataDirectory}/{o.Bootstrap.AdminKeyFile}.

                Each setting can be given in appsettings.json (beside the kernel), as an environment variable (parts joined
                by "__") or as a command-line argument (parts joined by ":"); the command line wins, then the environment:
                  ClawScale__Database__ConnectionString="Host=...;Database=clawscale"
                  --ClawScale:Database:ConnectionString="Host=...;Database=clawscale"

                Main settings (default):
                  ClawScale:DataDirectory               {o.DataDirectory}  (database, key ring, first admin key, plugins/)
                  ClawScale:ListenAddress               {o.ListenAddress}  (0.0.0.0 accepts outside traffic)
                  ClawScale:HttpPort, ClawScale:GrpcPort  {o.HttpPort}, {o.GrpcPort}  (0 picks a free port)
                  ClawScale:PublicBaseUrl               none  (the https URL platforms call webhooks on)
                  ClawScale:Database:ConnectionString   none: SQLite  (PostgreSQL, Npgsql format)
                  ClawScale:Tls:CertificatePath         none: plaintext  (a .pfx used by both ports)
                  ClawScale:Bootstrap:AdminApiKey       none  (a platform-admin key csk_... to ensure exists)
                  ClawScale:PluginsManifest             {o.PluginsManifest}
                  ClawScale:Pipeline:...                pipeline limits, e.g. DeliveryMaxAttempts ({p.DeliveryMaxAttempts}), PollInterval ({p.PollInterval})
                  ASPNETCORE_ENVIRONMENT                Production  (Development also seeds a demo tenant)

                Every invalid setting is listed at start, together, on stderr. Exit codes: 0 stopped normally,
                {KernelApp.ExitCodeInvalidConfiguration} invalid configuration, {KernelApp.ExitCodeAddressInUse} a port is already in use.

                All settings, limits and examples: README.md, section "Configuration", in the ClawScale repository.
                """;
        }
    }
}
