namespace ClawScale.Kernel.Onboarding;

/// <summary>Maps the onboarding routes (<c>GET /join/{token}</c>).</summary>
internal static class OnboardingEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>GET /join/{token}</c> (see <see cref="JoinEndpoints"/>).</summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>The route builder.</returns>
    public static IEndpointRouteBuilder MapClawScaleOnboarding(this IEndpointRouteBuilder endpoints)
    {
        JoinEndpoints.Map(endpoints);
        return endpoints;
    }
}
