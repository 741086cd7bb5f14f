using System.Net;
using ClawScale.Kernel.Pipeline;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Hosting;

/// <summary>
/// Warnings about a configuration that starts but is probably not what the operator meant, logged once at start:
/// a key under <c>ClawScale</c> that no option binds (a typo such as <c>Databse</c> is otherwise ignored silently),
/// naming the key and the keys known at its level; and a non-loopback <c>ListenAddress</c> without TLS (API keys
/// and webhook payloads then cross the network in plaintext). <c>Security:AllowPrivateNetworkTargets</c> switched on
/// is logged at Information.
/// </summary>
/// <remarks>
/// The known keys are the public properties of <see cref="ClawScaleOptions"/> (and of its nested option records) and
/// of <see cref="PipelineOptions"/>, compared case-insensitively as the configuration binder does.
/// </remarks>
internal sealed partial class StartupConfigurationChecks : IHostedService
{
    private readonly IConfiguration configuration;
    private readonly IOptions<ClawScaleOptions> options;
    private readonly ILogger<StartupConfigurationChecks> logger;

    /// <summary>
    /// Validates every options type registered with <c>ValidateOnStart</c> (<c>ClawScale</c>, <c>ClawScale:Pipeline</c>)
    /// now: this is the first hosted service the host builds, and later ones read their options in their constructors,
    /// which would report the first invalid section alone. Throws <see cref="OptionsValidationException"/> (one section)
    /// or an <see cref="AggregateException"/> of them (several), listing every error.
    /// </summary>
    public StartupConfigurationChecks(IConfiguration configuration, IOptions<ClawScaleOptions> options, IStartupValidator validator, ILogger<StartupConfigurationChecks> logger)
    {
        validator.Validate();
        this.configuration = configuration;
        this.options = options;
        this.logger = logger;
    }

    /// <summary>
    /// Runs once Kestrel has bound the ports (<see cref="ServerStartOrder"/>) and before every other hosted service: logs
    /// the warnings, then creates the data folder, key ring folder and SQLite file owner-only
    /// (<see cref="KernelPaths.EnsurePrivateFiles"/>) before the key ring or the database opens them.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Not injected: KernelPaths reads the options in its constructor, which must come after validation.
        new KernelPaths(options).EnsurePrivateFiles();
        foreach (var (key, known) in UnknownKeys(configuration.GetSection(ClawScaleOptions.SectionName), typeof(ClawScaleOptions)))
            LogUnknownKey(logger, key, string.Join(", ", known));

        var o = options.Value;
        if (o.Tls?.CertificatePath is null && !IsLoopback(o.ListenAddress))
            LogPlaintextNonLoopback(logger, o.ListenAddress);
        if (o.Security.AllowPrivateNetworkTargets)
            LogPrivateTargetsAllowed(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Keys under <paramref name="section"/> that <paramref name="type"/> does not bind, with the names it does.</summary>
    internal static IEnumerable<(string Key, IReadOnlyList<string> Known)> UnknownKeys(IConfigurationSection section, Type type)
    {
        var properties = SettingValues.Properties(type);
        var known = properties.Keys.Order(StringComparer.Ordinal).ToList();
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var propertyType))
            {
                yield return (child.Path, known);
                continue;
            }

            if (SettingValues.IsSection(propertyType))
            {
                foreach (var unknown in UnknownKeys(child, Nullable.GetUnderlyingType(propertyType) ?? propertyType)) yield return unknown;
            }
        }
    }

    private static bool IsLoopback(string address) =>
        address == "localhost" || (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip));

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Unknown configuration key {Key} is ignored (a typo?); known keys at this level: {Known}")]
    private static partial void LogUnknownKey(ILogger logger, string key, string known);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Listening on {Address} without TLS: API keys and messages cross the network in plaintext. Set ClawScale:Tls:CertificatePath, put a TLS proxy in front, or listen on 127.0.0.1")]
    private static partial void LogPlaintextNonLoopback(ILogger logger, string address);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "ClawScale:Security:AllowPrivateNetworkTargets is true: plugins and dial-out runtimes may connect to loopback, private and link-local addresses (meant for development and local model servers)")]
    private static partial void LogPrivateTargetsAllowed(ILogger logger);
}
