using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Hosting;

/// <summary>
/// Makes Kestrel bind the kernel's ports before any other hosted service starts, so that a port in use ends start-up
/// before anything touches the data directory or the database (no migration, no worker, no plugin load), and stops
/// Kestrel before them as ASP.NET Core does.
/// </summary>
/// <remarks>
/// ASP.NET Core registers its server's hosted service (<c>GenericWebHostService</c>, which starts Kestrel) after every
/// other one, so hosted services run before the ports are bound. <see cref="Apply"/> runs on the final service
/// collection (<c>ConfigureContainer</c>, after <c>WebApplicationBuilder.Build</c> has added that service) and splits
/// its registration in two: one that starts it, placed before the first hosted service, and one that stops it, left in
/// its place at the end (hosted services stop in reverse order: Kestrel first, then the workers, as before). This is
/// not racy: the sockets Kestrel binds are the ones it serves. Requests that arrive before the host has started wait
/// for it (<see cref="KernelHostingExtensions.MapClawScaleKernel"/>), so none meets a database being migrated.
/// A port in use is explained in one line (<see cref="StartupFailure"/>) instead of a stack trace.
/// </remarks>
internal static partial class ServerStartOrder
{
    private const string ServerServiceName = "Microsoft.AspNetCore.Hosting.GenericWebHostService";

    /// <summary>Moves the start of ASP.NET Core's server before every other hosted service of <paramref name="services"/>.</summary>
    /// <exception cref="InvalidOperationException">ASP.NET Core no longer registers its server service as expected.</exception>
    public static void Apply(IServiceCollection services)
    {
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
        var servers = hosted.Where(d => d.ImplementationType?.FullName == ServerServiceName).ToList();
        if (servers.Count != 1)
            throw new InvalidOperationException($"ASP.NET Core's {ServerServiceName} hosted service registration was not found; this ASP.NET Core version starts its server differently. Review Hosting/ServerStartOrder.cs for it.");
        var server = servers[0];
        var type = server.ImplementationType!;
        var first = services.IndexOf(hosted[0]);
        services[services.IndexOf(server)] = ServiceDescriptor.Singleton<IHostedService>(sp => new StopServer((IHostedService)sp.GetRequiredService(type)));
        services.Insert(first, ServiceDescriptor.Singleton<IHostedService>(sp => new StartServer(
            (IHostedService)sp.GetRequiredService(type), sp.GetRequiredService<IOptions<ClawScaleOptions>>(), sp.GetRequiredService<StartupFailure>())));
        services.Add(ServiceDescriptor.Singleton(type, type));
    }

    /// <summary>
    /// The line explaining that Kestrel could not bind (<paramref name="bindError"/>, Kestrel's "Failed to bind to
    /// address http://127.0.0.1:4040: address already in use."): the address, the setting that chose its port, and
    /// what to do.
    /// </summary>
    internal static string AddressInUse(string bindError, ClawScaleOptions options)
    {
        var match = BoundAddress().Match(bindError);
        var port = match.Success && int.TryParse(match.Groups["port"].Value, out var p) ? p : -1;
        var address = match.Success ? match.Groups["address"].Value : $"{options.ListenAddress} port {options.HttpPort} or {options.GrpcPort}";
        var setting = port == options.HttpPort ? "HttpPort" : port == options.GrpcPort ? "GrpcPort" : null;
        var change = setting is null
            ? "--ClawScale:HttpPort=<port> / --ClawScale:GrpcPort=<port> (or ClawScale__HttpPort / ClawScale__GrpcPort)"
            : $"--ClawScale:{setting}=<port> (or ClawScale__{setting}=<port>)";
        return $"ClawScale kernel: cannot listen on {address}{(setting is null ? "" : $" (ClawScale:{setting})")}: the address is already in use, another process listens there. "
            + $"Stop that process or give the kernel another port: {change}; 0 picks a free port. Nothing was started.";
    }

    [GeneratedRegex(@"https?://(?<address>(?:\[[^\]]+\]|[^\s/:\[\]]+):(?<port>\d+))")]
    private static partial Regex BoundAddress();

    /// <summary>Starts the server (binds the ports) and leaves stopping it to <see cref="StopServer"/>.</summary>
    private sealed class StartServer(IHostedService server, IOptions<ClawScaleOptions> options, StartupFailure failure) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                await server.StartAsync(cancellationToken);
            }
            catch (IOException ex) when (ex.InnerException is AddressInUseException)
            {
                failure.Explain(AddressInUse(ex.Message, options.Value));
                throw;
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Stops the server, in the place ASP.NET Core gave it: before every other hosted service stops.</summary>
    private sealed class StopServer(IHostedService server) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync(cancellationToken);
    }
}
