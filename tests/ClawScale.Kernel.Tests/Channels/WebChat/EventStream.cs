using System.Net;
using System.Text;

namespace ClawScale.Kernel.Tests.Channels.WebChat;

/// <summary>A client of <c>GET /chat/{channelId}/events</c> that reads Server-Sent Events with HttpClient.</summary>
public sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    /// <summary>Opens the stream and returns once the kernel has registered it (its first comment arrived).</summary>
    public static async Task<EventStream> OpenAsync(HttpClient http, string channelId, string visitorId, CancellationToken cancellationToken)
    {
        var response = await http.GetAsync($"/chat/{channelId}/events?visitorId={visitorId}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        var stream = new EventStream(response, reader);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line == ": connected") return stream;
        }

        throw new InvalidOperationException("The event stream ended before it was registered.");
    }

    /// <summary>Reads the next event (skipping comments and retry fields): its name, id and data.</summary>
    public async Task<(string? Event, string? Id, string Data)> ReadEventAsync(CancellationToken cancellationToken)
    {
        string? name = null, id = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0 || name is not null) return (name, id, data.ToString());
                continue;
            }

            if (line.StartsWith(':')) continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "event": name = value; break;
                case "id": id = value; break;
                case "data": data.Append(data.Length > 0 ? "\n" : string.Empty).Append(value); break;
            }
        }

        throw new InvalidOperationException("The event stream ended.");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
