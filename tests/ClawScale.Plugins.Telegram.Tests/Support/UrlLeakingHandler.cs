namespace ClawScale.Plugins.Telegram.Tests.Support;

/// <summary>
/// A transport that fails every request with an error naming the full request URL, as some proxies and handlers do:
/// for the Bot API that URL contains the bot token.
/// </summary>
public sealed class UrlLeakingHandler : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new HttpRequestException($"proxy refused {request.Method} {request.RequestUri}");
}
