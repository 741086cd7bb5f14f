using System.Collections.Concurrent;

namespace ClawScale.Client.Tests.Client;

/// <summary>A real <see cref="SocketsHttpHandler"/> that records every request it sends (one per gRPC attempt).</summary>
internal sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly ConcurrentQueue<HttpRequestMessage> _requests = new();

    public IReadOnlyList<HttpRequestMessage> Requests => _requests.ToList();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Enqueue(request);
        return base.SendAsync(request, cancellationToken);
    }
}
