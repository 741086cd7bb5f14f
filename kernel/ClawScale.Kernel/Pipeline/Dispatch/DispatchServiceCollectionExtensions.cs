using ClawScale.Kernel.Pipeline.Delivery;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClawScale.Kernel.Pipeline.Dispatch;

/// <summary>Registers the DISPATCH stage.</summary>
internal static class DispatchServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TurnDispatcher"/> (hosted) with its <see cref="TurnPool"/>, <see cref="KernelCommands"/>, join-code
    /// redemption, and the runtime hub and turns of connected runtimes. DISPATCH hands replies to DELIVER through
    /// <see cref="DeliveryPool"/>, registered here too when DELIVER is not.
    /// </summary>
    public static IServiceCollection AddClawScaleDispatch(this IServiceCollection services)
    {
        services.TryAddSingleton<TurnPool>();
        services.TryAddSingleton<DeliveryPool>();
        services.AddScoped<KernelCommands>();
        services.AddScoped<Onboarding.JoinCodeRedeemer>();
        services.AddSingleton<Runtime.RuntimeHub>();
        services.AddSingleton<Runtime.RuntimeTurns>();
        services.AddHostedService<TurnDispatcher>();
        return services;
    }
}
