using ClawScale.Plugins.Hosting.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ClawScale.Plugins.Hosting;

/// <summary>Registers the plugin host.</summary>
public static class PluginHostServiceCollectionExtensions
{
    /// <summary>
    /// Adds the plugin host: <see cref="IPluginCatalog"/> and <see cref="IPluginInvoker"/> (singletons), the options
    /// (validated at start) and a hosted service that loads the plugins at start and, when
    /// <see cref="PluginHostOptions.Watch"/> is on, reloads them on file changes. Register it before hosted services
    /// that need plugins: hosted services start in registration order. Uses <see cref="TimeProvider"/> from the
    /// container (<see cref="TimeProvider.System"/> when none is registered) and logging when registered. Calling it
    /// twice adds the configuration but not a second host.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options; <see langword="null"/> keeps the defaults.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddClawScalePluginHost(this IServiceCollection services, Action<PluginHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<PluginHostOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PluginHostOptions>, PluginHostOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PluginCatalog>();
        services.TryAddSingleton<IPluginCatalog>(sp => sp.GetRequiredService<PluginCatalog>());
        services.TryAddSingleton<IPluginInvoker, PluginInvoker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PluginHostService>());
        return services;
    }
}
