using ClawScale.Kernel.Identity;

namespace ClawScale.Kernel.Pipeline.Accept;

/// <summary>Registers the ACCEPT stage.</summary>
internal static class AcceptServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IInboundAcceptor"/> (scoped), its group commit <see cref="AcceptQueue"/>, the per-sender
    /// <see cref="SenderRateLimiter"/> and the <see cref="CustomerDirectory"/>. Needs the pipeline's options and signals
    /// and DISPATCH's <see cref="Dispatch.TurnPool"/> (the turns ACCEPT hands off).
    /// </summary>
    public static IServiceCollection AddClawScaleAccept(this IServiceCollection services)
    {
        services.AddSingleton<SenderRateLimiter>();
        services.AddScoped<CustomerDirectory>();
        services.AddSingleton<AcceptQueue>();
        services.AddScoped<IInboundAcceptor, InboundAcceptor>();
        return services;
    }
}
