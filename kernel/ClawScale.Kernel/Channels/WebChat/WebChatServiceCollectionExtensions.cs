using ClawScale.Plugins.Channels;

namespace ClawScale.Kernel.Channels.WebChat;

/// <summary>Wiring of the built-in <c>webchat</c> channel kind.</summary>
public static class WebChatServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>webchat</c> channel factory (as an <see cref="IChannelAdapterFactory"/> singleton, found by the
    /// channel registry beside plugin factories) and the hub of visitors' live event streams.
    /// </summary>
    /// <param name="services">The kernel's services.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddClawScaleWebChat(this IServiceCollection services)
    {
        services.AddSingleton<WebChatHub>();
        services.AddSingleton<IChannelAdapterFactory, WebChatChannelFactory>();
        return services;
    }

    /// <summary>
    /// Maps the web chat routes: <c>GET /chat/{channelId}</c> (the page), <c>POST /chat/{channelId}/messages</c>,
    /// <c>GET /chat/{channelId}/events</c> (Server-Sent Events) and <c>GET /chat/{channelId}/history</c>.
    /// </summary>
    /// <param name="endpoints">The kernel's route builder.</param>
    /// <returns>The route builder.</returns>
    public static IEndpointRouteBuilder MapClawScaleWebChat(this IEndpointRouteBuilder endpoints)
    {
        WebChatEndpoints.Map(endpoints);
        return endpoints;
    }
}
