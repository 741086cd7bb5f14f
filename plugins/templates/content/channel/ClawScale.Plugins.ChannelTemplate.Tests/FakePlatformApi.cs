using System.Net;

namespace ClawScale.Plugins.ChannelTemplate.Tests;

/// <summary>A fake of the platform API behind the plugin's HttpClient: records each request and answers with <see cref="Answer"/>.</summary>
internal sealed class FakePlatformApi : HttpMessageHandler
{
    public Func<HttpRequestMessage, HttpResponseMessage> Answer { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.OK);

    public List<(Uri Uri, string? Authorization, string Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request.RequestUri!, request.Headers.Authorization?.ToString(), body));
        return Answer(request);
    }
}
