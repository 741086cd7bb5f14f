using ClawScale.Kernel.Channels;
using ClawScale.Plugins.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>Registers the DELIVER stage.</summary>
internal static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DeliveryWorker"/> (hosted), <see cref="DeliveryWriter"/> (scoped), <see cref="ChannelSendLimiter"/>,
    /// <see cref="IJitter"/>, <see cref="IPipelineSignals"/> and <see cref="PipelineOptions"/> (bound from
    /// <c>ClawScale:Pipeline</c>) unless already registered. When no <see cref="IPluginInvoker"/> is registered the
    /// plugin host is added (idempotent); when no <see cref="IChannelRegistry"/> is registered, a fallback that reports
    /// every channel unavailable. Call after the persistence registrations (hosted services start in order).
    /// </summary>
    public static IServiceCollection AddClawScaleDelivery(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(IConfigureOptions<PipelineOptions>)))
            services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPipelineSignals, PipelineSignals>();
        services.TryAddSingleton<IJitter, RandomJitter>();
        services.TryAddSingleton<IChannelRegistry, UnavailableChannelRegistry>();
        if (!services.Any(d => d.ServiceType == typeof(IPluginInvoker))) services.AddClawScalePluginHost();
        services.TryAddSingleton<ChannelSendLimiter>();
        services.TryAddSingleton<Persistence.SqliteWriteGate>();
        services.TryAddSingleton<DeliveryChangeFeed>();
        services.TryAddSingleton<DeliveryPool>();
        services.TryAddScoped<DeliveryWriter>();
        services.AddHostedService<DeliveryWorker>();
        return services;
    }
}
