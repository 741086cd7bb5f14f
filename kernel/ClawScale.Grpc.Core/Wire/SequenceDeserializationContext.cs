using System.Buffers;
using Grpc.Core;

namespace ClawScale.Grpc;

/// <summary>A <see cref="DeserializationContext"/> over a payload held in a <see cref="ReadOnlySequence{T}"/>.</summary>
public sealed class SequenceDeserializationContext : DeserializationContext
{
    private ReadOnlySequence<byte> _payload;

    /// <summary>Creates a context over <paramref name="payload"/>.</summary>
    public SequenceDeserializationContext(ReadOnlySequence<byte> payload) => _payload = payload;

    /// <summary>Points the context at another payload (contexts are reused per call).</summary>
    public void Reset(ReadOnlySequence<byte> payload) => _payload = payload;

    /// <inheritdoc />
    public override int PayloadLength => checked((int)_payload.Length);

    /// <inheritdoc />
    public override byte[] PayloadAsNewBuffer() => _payload.ToArray();

    /// <inheritdoc />
    public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => _payload;
}
