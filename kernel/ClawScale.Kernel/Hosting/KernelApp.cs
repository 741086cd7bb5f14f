namespace ClawScale.Kernel.Hosting;

/// <summary>Builds the kernel application; used by Program and by the functional tests (real Kestrel, real database).</summary>
public static class KernelApp
{
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
}
