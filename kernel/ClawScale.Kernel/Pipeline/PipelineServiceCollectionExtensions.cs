using ClawScale.Kernel.Agents;
using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClawScale.Kernel.Pipeline;

/// <summary>Registers the message pipeline: channel registry, ACCEPT, DISPATCH and their options.</summary>
internal static class PipelineServiceCollectionExtensions
{
    public static IServiceCollection AddClawScalePipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<PipelineOptions>, PipelineOptionsValidator>();
        services.AddSingleton<IPipelineSignals, PipelineSignals>();
        services.AddSingleton<ChannelRegistry>();
        services.AddSingleton<IChannelRegistry>(sp => sp.GetRequiredService<ChannelRegistry>());
        services.AddSingleton<AgentRegistry>();
        services.AddSingleton<SenderRateLimiter>();
        services.AddScoped<CustomerDirectory>();
        services.TryAddSingleton<Persistence.SqliteWriteGate>();
        services.AddSingleton<AcceptQueue>();
        services.AddScoped<IInboundAcceptor, InboundAcceptor>();
        services.AddScoped<KernelCommands>();
        services.AddSingleton<Runtime.RuntimeHub>();
        services.AddSingleton<Runtime.RuntimeTurns>();
        services.AddHostedService<TurnDispatcher>();
        services.TryAddSingleton<ChannelListenerHealth>();
        services.AddHostedService<ChannelSupervisor>();
        return services;
    }
}
