using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ClawScale.Kernel.Tests.BadInput;

/// <summary>
/// An HTTP/1.1 POST with a <c>Transfer-Encoding: chunked</c> body written over a raw socket while the response is read
/// at the same time. A server may answer (413) and close before the whole body is sent (RFC 9112 §9.6 allows it);
/// HttpClient then sometimes reports only the failed write ("Broken pipe") and drops the answer, so it cannot
/// check that answer reliably under load. This reads the answer whatever happens to the rest of the body.
/// </summary>
internal static class RawChunkedPost
{
    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(Uri baseAddress, string path, byte[] body, IEnumerable<(string Name, string Value)> headers)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
        var stream = client.GetStream();
        var head = new StringBuilder()
            .Append("POST ").Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(baseAddress.Authority).Append("\r\n")
            .Append("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("\r\n");

        var reading = ReadToEndAsync(stream, timeout.Token);
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), timeout.Token);
            for (var offset = 0; offset < body.Length && !reading.IsCompleted; offset += 16 * 1024)
            {
                var size = Math.Min(16 * 1024, body.Length - offset);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{size:x}\r\n"), timeout.Token);
                await stream.WriteAsync(body.AsMemory(offset, size), timeout.Token);
                await stream.WriteAsync("\r\n"u8.ToArray(), timeout.Token);
            }

            if (!reading.IsCompleted) await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), timeout.Token);
        }
        catch (IOException)
        {
            // The server answered and closed before the whole body was sent: read what it answered.
        }

        var response = await reading;
        var text = Encoding.UTF8.GetString(response);
        var statusLine = text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
        var status = (HttpStatusCode)int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var content = bodyStart < 0 ? string.Empty : text[(bodyStart + 4)..];
        if (text.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)) content = Dechunk(content);
        return (status, content);
    }

    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0) buffer.Write(chunk, 0, read);
        }
        catch (IOException) when (buffer.Length > 0)
        {
            // Reset after the answer (the server closed with unread body bytes): the answer is complete.
        }

        return buffer.ToArray();
    }

    private static string Dechunk(string chunked)
    {
        var result = new StringBuilder();
        var rest = chunked;
        while (rest.IndexOf("\r\n", StringComparison.Ordinal) is var end and > 0)
        {
            var size = Convert.ToInt32(rest[..end].Split(';')[0], 16);
            if (size == 0) break;
            result.Append(rest.AsSpan(end + 2, size));
            rest = rest[(end + 2 + size + 2)..];
        }

        return result.ToString();
    }
}
