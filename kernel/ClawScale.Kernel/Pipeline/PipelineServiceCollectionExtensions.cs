using ClawScale.Kernel.Agents;
using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Pipeline.Accept;
using ClawScale.Kernel.Pipeline.Dispatch;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// Registers the message pipeline: its options and signals, the channel and agent registries, and the stages ACCEPT
/// (<see cref="AcceptServiceCollectionExtensions"/>) and DISPATCH (<see cref="DispatchServiceCollectionExtensions"/>);
/// DELIVER is registered by <see cref="Delivery.DeliveryServiceCollectionExtensions.AddClawScaleDelivery"/>.
/// </summary>
internal static class PipelineServiceCollectionExtensions
{
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration (section <c>ClawScale:Pipeline</c>).</param>
    /// <param name="grpc">The gRPC limits, which bound the history sent to runtimes.</param>
    public static IServiceCollection AddClawScalePipeline(this IServiceCollection services, IConfiguration configuration, Hosting.GrpcLimitsOptions grpc)
    {
        var section = configuration.GetSection(PipelineOptions.SectionName);
        // Values that do not convert are left out and reported by Hosting.SettingValueValidator with the other errors.
        services.AddOptions<PipelineOptions>().Configure(o => Hosting.SettingValues.BindInto(section, o)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<PipelineOptions>>(new PipelineOptionsValidator(grpc.MaxSendMessageSize));
        services.AddSingleton<IPipelineSignals, PipelineSignals>();
        services.AddSingleton<ChannelRegistry>();
        services.AddSingleton<IChannelRegistry>(sp => sp.GetRequiredService<ChannelRegistry>());
        services.AddSingleton<AgentRegistry>();
        services.TryAddSingleton<Persistence.SqliteWriteGate>();
        services.AddClawScaleAccept();
        services.AddClawScaleDispatch();
        services.TryAddSingleton<ChannelListenerHealth>();
        services.AddHostedService<ChannelSupervisor>();
        return services;
    }
}
