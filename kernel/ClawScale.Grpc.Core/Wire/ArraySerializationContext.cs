using System.Buffers;
using Grpc.Core;

namespace ClawScale.Grpc;

/// <summary>A <see cref="SerializationContext"/> that collects one message into an array.</summary>
public sealed class ArraySerializationContext : SerializationContext
{
    private ArrayBufferWriter<byte>? _writer;
    private byte[]? _payload;

    /// <inheritdoc />
    public override void Complete(byte[] payload) => _payload = payload ?? throw new ArgumentNullException(nameof(payload));

    /// <inheritdoc />
    public override void SetPayloadLength(int payloadLength) => _writer ??= new ArrayBufferWriter<byte>(Math.Max(payloadLength, 1));

    /// <inheritdoc />
    public override IBufferWriter<byte> GetBufferWriter() => _writer ??= new ArrayBufferWriter<byte>();

    /// <inheritdoc />
    public override void Complete() => _payload = _writer?.WrittenSpan.ToArray() ?? [];

    /// <summary>The serialized message.</summary>
    /// <exception cref="InvalidOperationException">The serializer did not complete.</exception>
    public byte[] ToArray() => _payload ?? throw new InvalidOperationException("The serializer did not complete the message.");
}
