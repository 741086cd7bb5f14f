using System.Globalization;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>
/// The <see cref="ServerCallContext"/> of one call over an <see cref="HttpContext"/>. Owns the call's deadline,
/// compression choice, message writing and the single place where the outcome (exception or status) becomes
/// <c>grpc-status</c> trailers or a trailers-only response.
/// </summary>
internal sealed class HttpContextServerCallContext : ServerCallContext, IDisposable
{
    private readonly ServerMethodDefinition _method;
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;
    private CancellationTokenSource? _deadlineCts;
    private CancellationTokenRegistration _abortRegistration;
    private TimeSpan _timeout;
    private DateTime _deadline = DateTime.MaxValue;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private Status _status = Status.DefaultSuccess;
    private WriteOptions? _writeOptions;
    private FrameSerializationContext? _serializationContext;
    private bool _compressResponse;
    private bool _messageWritten;
    private bool _headersWritten;

    public HttpContextServerCallContext(HttpContext httpContext, ServerMethodDefinition method, GrpcServerOptions options, ILogger logger)
    {
        HttpContext = httpContext;
        _method = method;
        _options = options;
        _logger = logger;
    }

    public HttpContext HttpContext { get; }

    public string? RequestEncoding { get; private set; }

    /// <summary>Reads the protocol headers and prepares the response. Throws RpcException for unsupported encodings.</summary>
    public void Initialize(TimeProvider timeProvider, bool streamingRequest)
    {
        var request = HttpContext.Request;
        var features = HttpContext.Features;
        if (features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } maxBody)
        {
            // Message size limits apply per message instead.
            maxBody.MaxRequestBodySize = null;
        }

        if (streamingRequest && features.Get<IHttpMinRequestBodyDataRateFeature>() is { } minRate)
        {
            // An idle request stream is legitimate; without this Kestrel resets it after ~5 s.
            minRate.MinDataRate = null;
        }

        var response = HttpContext.Response;
        response.ContentType = GrpcProtocol.ContentType;

        var timeoutHeader = request.Headers[GrpcProtocol.TimeoutHeader];
        if (timeoutHeader.Count > 0)
        {
            var value = timeoutHeader.ToString();
            if (!GrpcTimeout.TryParse(value, out var timeout))
            {
                GrpcServerLog.InvalidTimeout(_logger, _method.FullName, value);
            }
            else if (timeout.TotalMilliseconds < int.MaxValue)
            {
                _timeout = timeout;
                _deadline = timeProvider.GetUtcNow().UtcDateTime + timeout;
                _deadlineCts = new CancellationTokenSource(timeout, timeProvider);
                _abortRegistration = HttpContext.RequestAborted.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _deadlineCts);
            }
            else
            {
                // Beyond what a timer can hold (~24.8 days): report it, but do not enforce it.
                _deadline = timeout >= DateTime.MaxValue - timeProvider.GetUtcNow().UtcDateTime ? DateTime.MaxValue : timeProvider.GetUtcNow().UtcDateTime + timeout;
            }
        }

        var encoding = request.Headers[GrpcProtocol.EncodingHeader];
        if (encoding.Count > 0)
        {
            var value = encoding.ToString();
            if (value != GrpcProtocol.IdentityEncoding && value != GrpcProtocol.GzipEncoding)
            {
                response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
                throw new RpcException(new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{value}'. Supported encodings: {GrpcProtocol.SupportedEncodings}."));
            }

            RequestEncoding = value;
        }

        if (_options.ResponseCompressionAlgorithm == GrpcProtocol.GzipEncoding && ClientAcceptsGzip(request.Headers[GrpcProtocol.AcceptEncodingHeader]))
        {
            _compressResponse = true;
            response.Headers[GrpcProtocol.EncodingHeader] = GrpcProtocol.GzipEncoding;
        }
    }

    private static bool ClientAcceptsGzip(Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var value in values)
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries))
            {
                if (part == GrpcProtocol.GzipEncoding)
                {
                    return true;
                }
            }
        }

        return false;
    }

    public bool DeadlineExpired => _deadlineCts is { IsCancellationRequested: true } && !HttpContext.RequestAborted.IsCancellationRequested;

    /// <summary>Serializes one response message into the body (not flushed).</summary>
    public void WriteMessage<T>(T message, Action<T, SerializationContext> serializer)
    {
        var compress = _compressResponse && (_writeOptions is null || (_writeOptions.Flags & WriteFlags.NoCompress) == 0);
        var writer = HttpContext.Response.BodyWriter;
        if (_serializationContext is null)
        {
            _serializationContext = new FrameSerializationContext(writer, _options.MaxSendMessageSize) { CompressionLevel = _options.ResponseCompressionLevel };
        }

        _serializationContext.Reset(writer, compress);
        serializer(message, _serializationContext);
        _messageWritten = true;
    }

    /// <summary>The one place where a handler's exception becomes a status.</summary>
    public Status ProcessHandlerError(Exception exception, out Metadata? trailers)
    {
        trailers = null;
        if (exception is RpcException rpc)
        {
            trailers = rpc.Trailers;
            GrpcServerLog.RpcStatusRaised(_logger, _method.FullName, rpc.StatusCode, rpc.Status.Detail);
            return rpc.Status;
        }

        if (DeadlineExpired)
        {
            GrpcServerLog.DeadlineExceeded(_logger, _method.FullName, _timeout);
            return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }

        if (HttpContext.RequestAborted.IsCancellationRequested)
        {
            GrpcServerLog.CallCancelled(_logger, _method.FullName);
            return new Status(StatusCode.Cancelled, "Call canceled by the client.");
        }

        GrpcServerLog.ErrorExecutingServiceMethod(_logger, _method.FullName, exception);
        var detail = _options.EnableDetailedErrors
            ? $"Exception was thrown by handler. {exception.GetType().Name}: {exception.Message}"
            : "Exception was thrown by handler.";
        return new Status(StatusCode.Unknown, detail, exception);
    }

    /// <summary>Ends the call with <paramref name="status"/>: trailers, or a trailers-only response when nothing was sent.</summary>
    public void EndCall(Status status, Metadata? extraTrailers)
    {
        if (HttpContext.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (status.StatusCode == StatusCode.OK && DeadlineExpired)
        {
            status = new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }

        var response = HttpContext.Response;
        if (!response.HasStarted && !_messageWritten && !_headersWritten)
        {
            // Trailers-only: status in the headers, no body (gRPC over HTTP/2 spec).
            var headers = response.Headers;
            headers[GrpcProtocol.StatusHeader] = ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture);
            if (status.Detail.Length > 0)
            {
                headers[GrpcProtocol.MessageHeader] = GrpcPercentEncoding.Encode(status.Detail);
            }

            AppendMetadata(_responseTrailers, headers);
            AppendMetadata(extraTrailers, headers);
            return;
        }

        response.AppendTrailer(GrpcProtocol.StatusHeader, status.StatusCode == StatusCode.OK ? "0" : ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture));
        if (status.Detail.Length > 0)
        {
            response.AppendTrailer(GrpcProtocol.MessageHeader, GrpcPercentEncoding.Encode(status.Detail));
        }

        AppendTrailers(_responseTrailers, response);
        AppendTrailers(extraTrailers, response);
    }

    private static void AppendMetadata(Metadata? metadata, IHeaderDictionary headers)
    {
        if (metadata is { Count: > 0 })
        {
            MetadataMapper.AppendTo(metadata, headers);
        }
    }

    private static void AppendTrailers(Metadata? metadata, HttpResponse response)
    {
        if (metadata is { Count: > 0 })
        {
            foreach (var entry in metadata)
            {
                response.AppendTrailer(entry.Key, MetadataMapper.ToHeaderValue(entry));
            }
        }
    }

    protected override async Task WriteResponseHeadersAsyncCore(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        if (_headersWritten || HttpContext.Response.HasStarted)
        {
            throw new InvalidOperationException("Response headers can only be sent once per call.");
        }

        foreach (var entry in responseHeaders)
        {
            if (GrpcProtocol.IsReservedHeader(entry.Key))
            {
                throw new InvalidOperationException($"Header '{entry.Key}' is reserved by the gRPC protocol and cannot be set as metadata.");
            }
        }

        MetadataMapper.AppendTo(responseHeaders, HttpContext.Response.Headers);
        _headersWritten = true;
        await HttpContext.Response.BodyWriter.FlushAsync(CancellationTokenCore).ConfigureAwait(false);
    }

    protected override string MethodCore => _method.FullName;

    protected override string HostCore => HttpContext.Request.Host.Value ?? "";

    protected override string PeerCore
    {
        get
        {
            var connection = HttpContext.Connection;
            return connection.RemoteIpAddress switch
            {
                null => "unknown",
                { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ip => $"ipv6:[{ip}]:{connection.RemotePort}",
                IPAddress ip => $"ipv4:{ip}:{connection.RemotePort}",
            };
        }
    }

    protected override DateTime DeadlineCore => _deadline;

    protected override Metadata RequestHeadersCore => _requestHeaders ??= MetadataMapper.FromHeaders(HttpContext.Request.Headers);

    protected override CancellationToken CancellationTokenCore => _deadlineCts?.Token ?? HttpContext.RequestAborted;

    protected override Metadata ResponseTrailersCore => _responseTrailers ??= [];

    protected override Status StatusCore
    {
        get => _status;
        set => _status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => _writeOptions;
        set => _writeOptions = value;
    }

    public void Dispose()
    {
        _abortRegistration.Dispose();
        _deadlineCts?.Dispose();
    }
}
