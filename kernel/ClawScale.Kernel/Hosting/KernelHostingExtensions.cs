using System.Net;
using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Channels.WebChat;
using ClawScale.Kernel.Console;
using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Networking;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Pipeline.Delivery;
using ClawScale.Plugins.Hosting;
using ClawScale.Kernel.Plugins;
using ClawScale.Kernel.Security;
using ClawScale.Kernel.Telemetry;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Hosting;

/// <summary>Wiring of the kernel: <see cref="AddClawScaleKernel"/> registers services, <see cref="MapClawScaleKernel"/> maps routes.</summary>
public static class KernelHostingExtensions
{
    /// <summary>
    /// Registers options (validated at start, all errors listed), Kestrel's two endpoints, persistence, security,
    /// the gRPC server with the kernel's services, health and reflection.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <returns>The builder.</returns>
    public static WebApplicationBuilder AddClawScaleKernel(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(ClawScaleOptions.SectionName);
        // Values that do not convert (HttpPort=abc) are left out of binding and listed with the other errors.
        services.AddOptions<ClawScaleOptions>().Configure(o => SettingValues.BindInto(section, o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClawScaleOptions>, SettingValueValidator>();
        services.AddSingleton<IValidateOptions<ClawScaleOptions>, ClawScaleOptionsValidator>();
        services.AddSingleton<KernelPaths>();
        // Kestrel binds the ports before every hosted service (a port in use stops start-up before anything is touched),
        // then this one: its warnings come before anything touches the database.
        services.TryAddSingleton<StartupFailure>();
        builder.Host.ConfigureContainer<IServiceCollection>((_, all) => ServerStartOrder.Apply(all));
        services.AddHostedService<StartupConfigurationChecks>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<KernelEndpoints>();
        services.AddSingleton<ISecretGenerator, SecretGenerator>();
        services.AddSingleton<OutboundNetworkGuard>();

        var options = SettingValues.Bind<ClawScaleOptions>(section);
        ConfigureKestrel(builder, options);
        // Before the plugin host and the pipeline: the meter provider must listen before they count anything.
        builder.AddClawScaleTelemetry(options.Telemetry);

        var keysDirectory = Path.GetFullPath(options.KeysDirectory ?? Path.Combine(options.DataDirectory, "keys"));
        services.AddDataProtection().SetApplicationName("ClawScale").PersistKeysToFileSystem(new DirectoryInfo(keysDirectory));
        services.AddSingleton<SecretProtector>();

        services.AddClawScalePersistence(builder.Configuration);
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<AuthFailureLimiter>();
        services.AddSingleton<ApiKeyStreamGuard>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyStreamGuard>());
        services.AddScoped<AdminKeyBootstrapper>();
        services.AddSingleton<IKindValidator, PluginKindValidator>();
        services.AddClawScalePluginHost(o =>
        {
            o.ContentRoot = Directory.GetCurrentDirectory();
            o.ManifestPath = Path.GetFullPath(options.PluginsManifest);
            o.DataDirectory = Path.GetFullPath(options.DataDirectory);
            o.PluginsDirectory = Path.Combine(Path.GetFullPath(options.DataDirectory), "plugins");
            o.Watch = options.WatchPlugins;
        });
        services.AddClawScalePipeline(builder.Configuration, options.Grpc);
        services.AddClawScaleDelivery();
        services.AddClawScaleWebChat();
        services.AddClawScaleConsole();
        services.AddClawScaleHealth();

        services.AddClawScaleGrpc(options.Grpc);
        return builder;
    }

    /// <summary>
    /// Maps the kernel's gRPC services, health (gRPC, <c>/livez</c>, <c>/readyz</c> and <c>/healthz</c>), reflection and
    /// <c>/metrics</c>, then checks that every RPC in protos/clawscale/v1 has a handler (failing start-up with the list of
    /// missing ones). Requests that arrive between the ports being bound and the host having started wait for the start
    /// (see <see cref="ServerStartOrder"/>).
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static WebApplication MapClawScaleKernel(this WebApplication app)
    {
        // Kestrel listens before the other hosted services start (ServerStartOrder): a request that comes that early
        // waits until the kernel has started (database migrated, workers running) or the caller gives up.
        var started = app.Lifetime.ApplicationStarted;
        app.Use(async (context, next) =>
        {
            if (!started.IsCancellationRequested) await WhenStartedAsync(started, context.RequestAborted);
            await next(context);
        });
        app.MapClawScaleGrpc();
        app.MapClawScaleWebhooks();
        app.MapClawScaleHealth();
        // Read from configuration, not IOptions: validating here would throw the first invalid section alone, before
        // StartupConfigurationChecks lists every error (values that do not convert are left out here and reported there).
        app.MapClawScaleTelemetry(SettingValues.Bind<ClawScaleOptions>(app.Configuration.GetSection(ClawScaleOptions.SectionName)).Telemetry);
        app.MapClawScaleWebChat();
        Onboarding.OnboardingEndpointRouteBuilderExtensions.MapClawScaleOnboarding(app);
        app.MapClawScaleConsole();
        app.MapGet("/", () => Results.Text("ClawScale kernel. gRPC on the HTTP/2 port; webhooks at POST /webhooks/{channelId}; health at /livez and /readyz; metrics at /metrics.\n"));
        return app;
    }

    private static async Task WhenStartedAsync(CancellationToken started, CancellationToken aborted)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = started.Register(() => signal.TrySetResult());
        await signal.Task.WaitAsync(aborted);
    }

    private static void ConfigureKestrel(WebApplicationBuilder builder, ClawScaleOptions options)
    {
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            // Invalid options are reported (all at once) by ClawScaleOptionsValidator when the host starts.
            if (!new ClawScaleOptionsValidator().Validate(null, options).Succeeded) return;
            var endpoints = kestrel.ApplicationServices.GetRequiredService<KernelEndpoints>();
            var address = options.ListenAddress == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.ListenAddress);
            endpoints.UsesTls = options.Tls?.CertificatePath is not null;
            kestrel.Listen(address, options.HttpPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (endpoints.UsesTls) listen.UseHttps(options.Tls!.CertificatePath!, options.Tls.CertificatePassword);
                endpoints.Http = listen;
            });
            kestrel.Listen(address, options.GrpcPort, listen =>
            {
                // Plaintext HTTP/2 needs prior knowledge (h2c); Http1AndHttp2 without TLS would serve HTTP/1.1 only.
                listen.Protocols = HttpProtocols.Http2;
                if (endpoints.UsesTls) listen.UseHttps(options.Tls!.CertificatePath!, options.Tls.CertificatePassword);
                endpoints.Grpc = listen;
            });
        });
    }
}
