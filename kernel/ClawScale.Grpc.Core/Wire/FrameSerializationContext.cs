using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Grpc.Core;

namespace ClawScale.Grpc;

/// <summary>
/// A <see cref="SerializationContext"/> that writes one length-prefixed gRPC message frame (1-byte compressed
/// flag + 4-byte big-endian length + payload, per the gRPC over HTTP/2 spec) to a target
/// <see cref="IBufferWriter{T}"/>. Without compression and with a known length the message is serialized
/// straight into the target; otherwise it is buffered, optionally gzip-compressed, then framed.
/// Reuse one instance per call: call <see cref="Reset"/> before each message.
/// </summary>
public sealed class FrameSerializationContext : SerializationContext
{
    private readonly int? _maxSendMessageSize;
    private IBufferWriter<byte> _target;
    private ArrayBufferWriter<byte>? _buffer;
    private bool _compress;
    private bool _direct;

    /// <summary>Creates a context.</summary>
    /// <param name="target">Where frames are written.</param>
    /// <param name="maxSendMessageSize">The largest message to send in bytes (uncompressed), or <c>null</c>.</param>
    public FrameSerializationContext(IBufferWriter<byte> target, int? maxSendMessageSize)
    {
        _target = target;
        _maxSendMessageSize = maxSendMessageSize;
    }

    /// <summary>The gzip compression level used when a message is compressed.</summary>
    public CompressionLevel CompressionLevel { get; set; } = CompressionLevel.Fastest;

    /// <summary>Prepares for the next message.</summary>
    /// <param name="target">Where the frame goes (the same or another writer).</param>
    /// <param name="compress">Whether to gzip this message and set the compressed flag.</param>
    public void Reset(IBufferWriter<byte> target, bool compress)
    {
        _target = target;
        _compress = compress;
        _direct = false;
        _buffer?.Clear();
    }

    /// <inheritdoc />
    public override void SetPayloadLength(int payloadLength)
    {
        CheckSize(payloadLength);
        if (!_compress)
        {
            WriteHeader(_target, compressed: false, payloadLength);
            _direct = true;
        }
    }

    /// <inheritdoc />
    public override IBufferWriter<byte> GetBufferWriter() => _direct ? _target : (_buffer ??= new ArrayBufferWriter<byte>());

    /// <inheritdoc />
    public override void Complete()
    {
        if (_direct)
        {
            return;
        }

        var payload = _buffer is null ? ReadOnlySpan<byte>.Empty : _buffer.WrittenSpan;
        WriteFrame(payload);
    }

    /// <inheritdoc />
    public override void Complete(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (_direct)
        {
            throw new InvalidOperationException("Complete(byte[]) cannot follow SetPayloadLength.");
        }

        WriteFrame(payload);
    }

    private void WriteFrame(ReadOnlySpan<byte> payload)
    {
        CheckSize(payload.Length);
        if (_compress)
        {
            var compressed = GrpcGzip.Compress(payload, CompressionLevel);
            WriteHeader(_target, compressed: true, compressed.Length);
            _target.Write(compressed);
        }
        else
        {
            WriteHeader(_target, compressed: false, payload.Length);
            _target.Write(payload);
        }
    }

    private void CheckSize(int length)
    {
        if (_maxSendMessageSize is { } max && length > max)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Sending message exceeds the maximum configured message size: {length} bytes, limit {max} bytes."));
        }
    }

    /// <summary>Writes a 5-byte frame header.</summary>
    public static void WriteHeader(IBufferWriter<byte> target, bool compressed, int length)
    {
        ArgumentNullException.ThrowIfNull(target);
        var span = target.GetSpan(GrpcProtocol.MessageHeaderSize);
        span[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
        target.Advance(GrpcProtocol.MessageHeaderSize);
    }
}
