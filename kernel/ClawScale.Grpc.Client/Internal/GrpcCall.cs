using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace ClawScale.Grpc.Client.Internal;

/// <summary>
/// One client call over HttpClient: builds the HTTP/2 request (headers, grpc-timeout, compression), reads the
/// response frames and resolves the status from trailers, trailers-only headers, HTTP status (per the spec's
/// HTTP-to-gRPC mapping), cancellation (CANCELLED) or the deadline (DEADLINE_EXCEEDED).
/// </summary>
internal sealed class GrpcCall<TRequest, TResponse> : IDisposable
    where TRequest : class
    where TResponse : class
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);
    private static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _callCts;
    private readonly CancellationToken _callToken;
    private readonly CancellationToken _deadlineToken;
    private int _finished;
    private readonly CancellationTokenSource? _deadlineCts;
    private readonly TaskCompletionSource<Metadata> _headersTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _compressRequest;
    private Task<HttpResponseMessage>? _sendTask;
    private Task<bool>? _responseReady;
    private HttpResponseMessage? _response;
    private GrpcMessageReader? _reader;
    private StreamingRequestContent? _streamingContent;
    private Status? _status;
    private Metadata? _trailers;
    private int _disposed;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        _callCts = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        _callToken = _callCts.Token;
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var timeout = deadline.ToUniversalTime() - DateTime.UtcNow;

            // Timers take at most int.MaxValue ms (~24.8 days); a longer deadline is only sent as grpc-timeout.
            var local = timeout <= TimeSpan.Zero ? TimeSpan.Zero : timeout < MaxTimer ? timeout : Timeout.InfiniteTimeSpan;
            _deadlineCts = new CancellationTokenSource(local);
            _deadlineToken = _deadlineCts.Token;
            _deadlineToken.UnsafeRegister(static s => CancelQuietly((CancellationTokenSource)s!), _callCts);
        }

        var algorithm = options.Headers?.GetValue(GrpcProtocol.CompressionRequestAlgorithmHeader) ?? channel.Options.RequestCompressionAlgorithm;
        if (algorithm is not null && algorithm != GrpcProtocol.IdentityEncoding)
        {
            if (algorithm != GrpcProtocol.GzipEncoding)
            {
                throw new RpcException(new Status(StatusCode.Internal, $"Request compression algorithm '{algorithm}' is not supported; use 'gzip'."));
            }

            _compressRequest = true;
        }
    }

    public Task<Metadata> ResponseHeadersAsync => _headersTcs.Task;

    private CancellationToken CallToken => _callToken;

    public void Start(TRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var context = new FrameSerializationContext(buffer, _channel.Options.MaxSendMessageSize);
        context.Reset(buffer, _compressRequest && !NoCompress());
        try
        {
            _method.RequestMarshaller.ContextualSerializer(request, context);
        }
        catch (RpcException ex)
        {
            // Reported through the call (ResponseAsync / MoveNext), nothing is sent.
            Finish(ex.Status, ex.Trailers);
            return;
        }

        var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
        content.Headers.ContentType = GrpcContentType;
        Send(content);
    }

    public ClientRequestStream<TRequest, TResponse> StartStreaming()
    {
        _streamingContent = new StreamingRequestContent();
        _streamingContent.Headers.ContentType = GrpcContentType;
        Send(_streamingContent);
        return new ClientRequestStream<TRequest, TResponse>(this, _streamingContent);
    }

    internal bool NoCompress() => _options.WriteOptions is { } w && (w.Flags & WriteFlags.NoCompress) != 0;

    internal byte[] SerializeRequest(TRequest message, WriteOptions? writeOptions)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var context = new FrameSerializationContext(buffer, _channel.Options.MaxSendMessageSize);
        var noCompress = (writeOptions ?? _options.WriteOptions) is { } w && (w.Flags & WriteFlags.NoCompress) != 0;
        context.Reset(buffer, _compressRequest && !noCompress);
        _method.RequestMarshaller.ContextualSerializer(message, context);
        return buffer.WrittenSpan.ToArray();
    }

    internal CancellationToken Token => CallToken;

    private void Send(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_channel.Address, _method.FullName.TrimStart('/')))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation("te", "trailers");
        headers.TryAddWithoutValidation("user-agent", "grpc-clawscale-dotnet/1.0");
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (_compressRequest)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, GrpcProtocol.GzipEncoding);
        }

        if (_options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(deadline.ToUniversalTime() - DateTime.UtcNow));
        }

        if (_options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                if (entry.Key == GrpcProtocol.CompressionRequestAlgorithmHeader)
                {
                    continue;
                }

                headers.TryAddWithoutValidation(entry.Key, entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value);
            }
        }

        _sendTask = _channel.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, CallToken);

        // Process the response headers eagerly so that ResponseHeadersAsync completes without a read.
        _responseReady = ProcessResponseAsync();
    }

    /// <summary>Waits for the response headers; false when the call already has its final status (trailers-only or error).</summary>
    private async ValueTask<bool> EnsureResponseAsync() =>
        _responseReady is { } ready && await ready.ConfigureAwait(false) && _status is null;

    private async Task<bool> ProcessResponseAsync()
    {
        HttpResponseMessage response;
        try
        {
            response = await _sendTask!.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Finish(StatusFromException(ex, "Error starting gRPC call."), Metadata.Empty);
            return false;
        }

        _response = response;
        if (_status is not null)
        {
            // Disposed while the headers were on their way.
            response.Dispose();
            return false;
        }

        var headerMetadata = MetadataFromHeaders(response.Headers);
        _headersTcs.TrySetResult(headerMetadata);

        if (response.StatusCode != HttpStatusCode.OK)
        {
            Finish(new Status(MapHttpStatus(response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}"), headerMetadata);
            return false;
        }

        if (TryGetStatus(response.Headers, out var trailersOnly))
        {
            Finish(trailersOnly, headerMetadata);
            return false;
        }

        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            Finish(new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType}"), headerMetadata);
            return false;
        }

        string? encoding = null;
        if (response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var encodings))
        {
            encoding = string.Join(",", encodings);
        }

        var stream = await response.Content.ReadAsStreamAsync(CallToken).ConfigureAwait(false);
        _reader = new GrpcMessageReader(PipeReader.Create(stream), _channel.Options.MaxReceiveMessageSize, encoding);
        return true;
    }

    /// <summary>Reads the next response message; at the end, resolves the status and throws unless OK.</summary>
    public async Task<(bool HasMessage, TResponse? Message)> ReadNextAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await EnsureResponseAsync().ConfigureAwait(false))
            {
                using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(CallToken, cancellationToken) : null;
                var (hasMessage, message) = await _reader!.ReadMessageAsync(_method.ResponseMarshaller.ContextualDeserializer, linked?.Token ?? CallToken).ConfigureAwait(false);
                if (hasMessage)
                {
                    return (true, message);
                }

                FinishFromTrailers();
            }
        }
        catch (RpcException ex) when (_status is null)
        {
            // A local protocol error (size limit, bad frame): reset the stream, then report.
            Abort();
            Finish(ex.Status, ex.Trailers);
        }
        catch (OperationCanceledException ex) when (_status is null && cancellationToken.IsCancellationRequested && !CallToken.IsCancellationRequested)
        {
            // Only this read was cancelled (the caller's token), not the call.
            throw new RpcException(new Status(StatusCode.Cancelled, "Reading the response stream was canceled.", ex));
        }
        catch (Exception ex) when (_status is null && ex is not RpcException)
        {
            Finish(StatusFromException(ex, "Error reading next message."), Metadata.Empty);
        }

        var status = _status!.Value;
        if (status.StatusCode != StatusCode.OK)
        {
            throw new RpcException(status, _trailers ?? Metadata.Empty);
        }

        return (false, null);
    }

    public async Task<TResponse> ReadUnaryResponseAsync()
    {
        var (hasMessage, message) = await ReadNextAsync(CancellationToken.None).ConfigureAwait(false);
        if (!hasMessage)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Failed to deserialize response message: the response had OK status and no message."), _trailers ?? Metadata.Empty);
        }

        var (extra, _) = await ReadNextAsync(CancellationToken.None).ConfigureAwait(false);
        if (extra)
        {
            Abort();
            Finish(new Status(StatusCode.Internal, "Received more than one response message for a call that expects one."), Metadata.Empty);
            throw new RpcException(_status!.Value);
        }

        return message!;
    }

    private void FinishFromTrailers()
    {
        var trailing = _response!.TrailingHeaders;
        var trailers = MetadataFromHeaders(trailing);
        if (TryGetStatus(trailing, out var status))
        {
            Finish(status, trailers);
        }
        else
        {
            Finish(new Status(StatusCode.Internal, "No grpc-status found on response."), trailers);
        }
    }

    internal void Finish(Status status, Metadata trailers)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1)
        {
            return;
        }

        _trailers = trailers;
        _status = status;
        _headersTcs.TrySetException(new RpcException(status, trailers));
        _streamingContent?.Complete();

        // The call is over: free the response, the deadline timer and the link to the caller's token
        // now, even if the caller never disposes the call object.
        _response?.Dispose();
        _deadlineCts?.Dispose();
        _callCts.Dispose();
    }

    internal Status? CompletedStatus => _status;

    private Status StatusFromException(Exception ex, string what)
    {
        if (_deadlineToken.IsCancellationRequested)
        {
            return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded", ex);
        }

        if (_callToken.IsCancellationRequested)
        {
            return new Status(StatusCode.Cancelled, "Call canceled by the client.", ex);
        }

        if (ex is RpcException rpc)
        {
            return rpc.Status;
        }

        return new Status(StatusCode.Unavailable, $"{what} {ex.GetType().Name}: {ex.Message}", ex);
    }

    private static bool TryGetStatus(HttpHeaders headers, out Status status)
    {
        status = default;
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var values))
        {
            return false;
        }

        var text = values.FirstOrDefault();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            status = new Status(StatusCode.Unknown, $"Unexpected grpc-status value: '{text}'.");
            return true;
        }

        var detail = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages) ? GrpcPercentEncoding.Decode(messages.First()) : "";
        status = new Status((StatusCode)code, detail);
        return true;
    }

    private static Metadata MetadataFromHeaders(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var header in headers)
        {
            if (GrpcProtocol.IsReservedHeader(header.Key) || header.Key.Equals("date", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("server", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in header.Value)
            {
                if (header.Key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        metadata.Add(header.Key, DecodeBase64(part));
                    }
                }
                else
                {
                    metadata.Add(header.Key, value);
                }
            }
        }

        return metadata;
    }

    private static byte[] DecodeBase64(string value)
    {
        var padding = (4 - (value.Length % 4)) % 4;
        return Convert.FromBase64String(padding is 1 or 2 ? value + new string('=', padding) : value);
    }

    /// <summary>The HTTP-to-gRPC status mapping of the spec (doc/http-grpc-status-mapping.md).</summary>
    internal static StatusCode MapHttpStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => StatusCode.Internal,
        HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
        HttpStatusCode.NotFound => StatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    public Status GetStatus() => _status ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    public Metadata GetTrailers() => _status is null
        ? throw new InvalidOperationException("Can't get the call trailers because the call has not completed successfully.")
        : _trailers ?? Metadata.Empty;

    private void Abort()
    {
        if (_status is null)
        {
            CancelQuietly(_callCts);
        }

        _response?.Dispose();
    }

    private static void CancelQuietly(CancellationTokenSource cts)
    {
        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call finished concurrently; nothing left to cancel.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_status is null)
        {
            // Cancel first (resets the HTTP/2 stream), then record CANCELLED and release resources.
            CancelQuietly(_callCts);
            Finish(new Status(StatusCode.Cancelled, "Call disposed before it completed."), Metadata.Empty);
        }
    }
}
