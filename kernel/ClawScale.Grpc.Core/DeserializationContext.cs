using System.Buffers;

namespace Grpc.Core;

/// <summary>Gives a deserializer access to one received message payload (already decompressed).</summary>
public abstract class DeserializationContext
{
    /// <summary>The payload length in bytes.</summary>
    public abstract int PayloadLength { get; }

    /// <summary>Copies the payload into a new array.</summary>
    public abstract byte[] PayloadAsNewBuffer();

    /// <summary>The payload without copying; valid only during the deserializer call.</summary>
    public abstract ReadOnlySequence<byte> PayloadAsReadOnlySequence();
}
