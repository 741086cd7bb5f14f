using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using Grpc.Core;

namespace ClawScale.Grpc;

/// <summary>
/// Reads length-prefixed gRPC messages from a <see cref="PipeReader"/> (the request body on the server, the
/// response body on the client), parsing frames from the <see cref="ReadOnlySequence{T}"/> without copying.
/// Errors are <see cref="RpcException"/>s: RESOURCE_EXHAUSTED for a message over the size limit, INTERNAL for a
/// truncated frame, a compressed message without an encoding, or invalid protobuf.
/// </summary>
public sealed class GrpcMessageReader
{
    private readonly PipeReader _reader;
    private readonly int? _maxReceiveMessageSize;
    private readonly string? _encoding;
    private readonly SequenceDeserializationContext _context = new(default);

    /// <summary>Creates a reader.</summary>
    /// <param name="reader">The body.</param>
    /// <param name="maxReceiveMessageSize">The largest message accepted in bytes, or <c>null</c> for no limit.</param>
    /// <param name="encoding">The message encoding of the stream (<c>grpc-encoding</c>): <c>null</c>/identity or gzip.</param>
    public GrpcMessageReader(PipeReader reader, int? maxReceiveMessageSize, string? encoding)
    {
        _reader = reader;
        _maxReceiveMessageSize = maxReceiveMessageSize;
        _encoding = encoding is null || encoding == GrpcProtocol.IdentityEncoding ? null : encoding;
    }

    /// <summary>Reads the next message; <c>(false, default)</c> at a clean end of the stream.</summary>
    /// <param name="deserializer">The message deserializer.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="RpcException">See the class remarks.</exception>
    public async ValueTask<(bool HasMessage, T Message)> ReadMessageAsync<T>(Func<DeserializationContext, T> deserializer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryParseFrame(buffer, out var compressed, out var payload, out var consumed))
            {
                try
                {
                    var message = Deserialize(deserializer, compressed, payload);
                    _reader.AdvanceTo(consumed);
                    return (true, message);
                }
                catch
                {
                    _reader.AdvanceTo(consumed);
                    throw;
                }
            }

            if (result.IsCanceled)
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
                throw new OperationCanceledException("The read was cancelled.");
            }

            if (result.IsCompleted)
            {
                _reader.AdvanceTo(buffer.End);
                if (buffer.Length == 0)
                {
                    return (false, default!);
                }

                throw new RpcException(new Status(StatusCode.Internal, $"Incomplete message: the stream ended inside a message frame ({buffer.Length} bytes of a frame received)."));
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// Reads a stream that must hold exactly one message (a unary or server-streaming request, a unary
    /// response): waits for the end of the stream, then parses one frame. Cheaper than two
    /// <see cref="ReadMessageAsync{T}"/> calls on the hot path.
    /// </summary>
    /// <param name="deserializer">The message deserializer.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="RpcException">INTERNAL when the stream holds no message, more than one, or a truncated
    /// frame; RESOURCE_EXHAUSTED over the size limit; INTERNAL for invalid protobuf.</exception>
    public async ValueTask<T> ReadSingleMessageAsync<T>(Func<DeserializationContext, T> deserializer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (result.IsCanceled)
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
                throw new OperationCanceledException("The read was cancelled.");
            }

            try
            {
                if (TryParseFrame(buffer, out var compressed, out var payload, out var consumed))
                {
                    if (buffer.Slice(consumed).Length > 0)
                    {
                        throw new RpcException(new Status(StatusCode.Internal, "Additional data after the message received; this call takes exactly one message."));
                    }

                    if (result.IsCompleted)
                    {
                        var message = Deserialize(deserializer, compressed, payload);
                        _reader.AdvanceTo(buffer.End);
                        return message;
                    }
                }
                else if (result.IsCompleted)
                {
                    throw buffer.Length == 0
                        ? new RpcException(new Status(StatusCode.Internal, "Request did not contain a message; this call takes exactly one message."))
                        : new RpcException(new Status(StatusCode.Internal, $"Incomplete message: the stream ended inside a message frame ({buffer.Length} bytes of a frame received)."));
                }
            }
            catch
            {
                _reader.AdvanceTo(buffer.End);
                throw;
            }

            // Keep everything buffered until the end of the stream.
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private bool TryParseFrame(ReadOnlySequence<byte> buffer, out bool compressed, out ReadOnlySequence<byte> payload, out SequencePosition consumed)
    {
        compressed = false;
        payload = default;
        consumed = default;
        if (buffer.Length < GrpcProtocol.MessageHeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.MessageHeaderSize];
        buffer.Slice(0, GrpcProtocol.MessageHeaderSize).CopyTo(header);
        var flag = header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (flag > 1)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Invalid message frame: compressed flag is {flag}, expected 0 or 1."));
        }

        if (_maxReceiveMessageSize is { } max && length > (uint)max)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size: {length} bytes, limit {max} bytes."));
        }

        if (buffer.Length < GrpcProtocol.MessageHeaderSize + length)
        {
            return false;
        }

        compressed = flag == 1;
        payload = buffer.Slice(GrpcProtocol.MessageHeaderSize, length);
        consumed = payload.End;
        return true;
    }

    private T Deserialize<T>(Func<DeserializationContext, T> deserializer, bool compressed, ReadOnlySequence<byte> payload)
    {
        if (compressed)
        {
            if (_encoding is null)
            {
                throw new RpcException(new Status(StatusCode.Internal, "Received a compressed message but no grpc-encoding was sent."));
            }

            if (_encoding != GrpcProtocol.GzipEncoding)
            {
                throw new RpcException(new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding '{_encoding}'; supported: {GrpcProtocol.SupportedEncodings}."));
            }

            payload = new ReadOnlySequence<byte>(GrpcGzip.Decompress(payload, _maxReceiveMessageSize));
        }

        _context.Reset(payload);
        try
        {
            return deserializer(_context);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Failed to deserialize message: invalid protobuf ({ex.Message})", ex));
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Failed to deserialize message.", ex));
        }
        finally
        {
            _context.Reset(default);
        }
    }
}
