using System.Buffers;

namespace Grpc.Core;

/// <summary>
/// Receives one serialized message. A serializer either calls <see cref="Complete(byte[])"/> once, or
/// optionally <see cref="SetPayloadLength"/>, writes to <see cref="GetBufferWriter"/> and then calls
/// <see cref="Complete()"/>.
/// </summary>
public abstract class SerializationContext
{
    /// <summary>Completes the message with a whole payload.</summary>
    /// <param name="payload">The serialized message.</param>
    public abstract void Complete(byte[] payload);

    /// <summary>Announces the payload length in bytes before it is written to <see cref="GetBufferWriter"/>.</summary>
    /// <param name="payloadLength">The exact length of the serialized message, in bytes.</param>
    public abstract void SetPayloadLength(int payloadLength);

    /// <summary>The buffer writer to write the serialized message to.</summary>
    public abstract IBufferWriter<byte> GetBufferWriter();

    /// <summary>Completes a message written through <see cref="GetBufferWriter"/>.</summary>
    public abstract void Complete();
}
