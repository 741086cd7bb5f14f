using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Hosting;

/// <summary>Builds the kernel application; used by Program and by the functional tests (real Kestrel, real database).</summary>
public static class KernelApp
{
    /// <summary>Exit code of <see cref="RunAsync"/> when the configuration is invalid (every error is listed on stderr).</summary>
    public const int ExitCodeInvalidConfiguration = 2;

    /// <summary>
    /// Exit code of <see cref="RunAsync"/> when a port the kernel must listen on is already in use (one line on stderr
    /// names the address and the setting; nothing else was started).
    /// </summary>
    public const int ExitCodeAddressInUse = 3;

    private const string HostLogCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>Creates the configured, mapped kernel application without starting it.</summary>
    /// <param name="args">Command-line arguments (<c>--ClawScale:HttpPort=5050</c>, …).</param>
    /// <param name="configure">Optional extra configuration of the builder (tests add in-memory settings here).</param>
    /// <param name="overrideServices">Optional service replacements applied after the kernel's own registrations.</param>
    /// <returns>The application; call <c>RunAsync</c> or <c>StartAsync</c>.</returns>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? overrideServices = null)
    {
        // appsettings*.json live beside the kernel assembly; relative data paths resolve against the current directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        builder.AddClawScaleKernel();
        overrideServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapClawScaleKernel();
        return app;
    }

    /// <summary>
    /// Runs the kernel as a program until it is stopped (Ctrl+C, SIGTERM) and returns the process exit code.
    /// <c>--help</c> and <c>--version</c> are answered on stdout without building anything (exit 0). An invalid
    /// configuration is reported as one block on stderr listing every error (values that do not convert, such as
    /// <c>DeliveryMaxAttempts=abc</c>, and out-of-range values), before anything starts: exit
    /// <see cref="ExitCodeInvalidConfiguration"/>. A port already in use is reported in one line on stderr before any
    /// worker, plugin or database is started (<see cref="ServerStartOrder"/>): exit <see cref="ExitCodeAddressInUse"/>.
    /// Neither prints a stack trace. Other failures propagate as before.
    /// </summary>
    /// <param name="args">The program's arguments.</param>
    /// <returns>0 after a normal stop; <see cref="ExitCodeInvalidConfiguration"/>; <see cref="ExitCodeAddressInUse"/>.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        switch (KernelCommandLine.Parse(args))
        {
            case KernelCommandLine.Request.Help:
                await System.Console.Out.WriteLineAsync(KernelCommandLine.Usage);
                return 0;
            case KernelCommandLine.Request.Version:
                await System.Console.Out.WriteLineAsync(KernelCommandLine.Version);
                return 0;
        }

        var failure = new StartupFailure();
        await using var app = Create(args, builder =>
        {
            builder.Services.AddSingleton(failure);
            // The host logs a failed start with the exception and its stack trace; a failure explained on stderr is not
            // logged again. (The host logs nothing else below Information that operators need.)
            builder.Logging.AddFilter(HostLogCategory, level => level >= LogLevel.Information && (level < LogLevel.Error || failure.Explanation is null));
        });
        var errors = ConfigurationErrors(app.Services);
        if (errors.Count > 0)
        {
            await System.Console.Error.WriteLineAsync(InvalidConfigurationReport(errors));
            return ExitCodeInvalidConfiguration;
        }

        try
        {
            await app.RunAsync();
        }
        catch (Exception) when (failure.Explanation is { } explanation)
        {
            await System.Console.Error.WriteLineAsync(explanation);
            return ExitCodeAddressInUse;
        }

        return 0;
    }

    /// <summary>
    /// Every error of the options validated at start (<c>ValidateOnStart</c>: <c>ClawScale</c> and
    /// <c>ClawScale:Pipeline</c>), each once, without starting anything; empty when the configuration is valid.
    /// </summary>
    internal static IReadOnlyList<string> ConfigurationErrors(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (Exception ex) when (ex is OptionsValidationException or AggregateException)
        {
            return Failures(ex).Distinct(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The block printed for <paramref name="errors"/>: a headline, one line per error, where settings come from.</summary>
    internal static string InvalidConfigurationReport(IReadOnlyList<string> errors) =>
        $"ClawScale kernel: the configuration is not valid, nothing was started ({errors.Count} {(errors.Count == 1 ? "problem" : "problems")}):\n"
        + string.Concat(errors.Select(e => $"  - {e}\n"))
        + "Fix these settings in appsettings.json, the ClawScale__... environment variables or the --ClawScale:...=... arguments (--help lists the main ones).";

    private static IEnumerable<string> Failures(Exception ex) => ex switch
    {
        OptionsValidationException o => o.Failures,
        AggregateException a => a.InnerExceptions.SelectMany(Failures),
        _ => [ex.Message],
    };
}
