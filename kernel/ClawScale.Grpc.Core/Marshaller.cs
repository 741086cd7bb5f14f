namespace Grpc.Core;

/// <summary>
/// Turns messages of type <typeparamref name="T"/> into payload bytes and back. Either the simple
/// (byte array) or the contextual (buffer writer / <see cref="System.Buffers.ReadOnlySequence{T}"/>) pair is given;
/// the other pair is derived from it.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public class Marshaller<T>
{
    /// <summary>Creates a marshaller from byte-array functions.</summary>
    public Marshaller(Func<T, byte[]> serializer, Func<byte[], T> deserializer)
    {
        Serializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        Deserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        ContextualSerializer = (message, context) => context.Complete(serializer(message));
        ContextualDeserializer = context => deserializer(context.PayloadAsNewBuffer());
    }

    /// <summary>Creates a marshaller from contextual functions (the form generated code uses).</summary>
    public Marshaller(Action<T, SerializationContext> serializer, Func<DeserializationContext, T> deserializer)
    {
        ContextualSerializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        ContextualDeserializer = deserializer ?? throw new ArgumentNullException(nameof(deserializer));
        Serializer = message =>
        {
            var context = new ClawScale.Grpc.ArraySerializationContext();
            serializer(message, context);
            return context.ToArray();
        };
        Deserializer = bytes => deserializer(new ClawScale.Grpc.SequenceDeserializationContext(new System.Buffers.ReadOnlySequence<byte>(bytes)));
    }

    /// <summary>Serializes a message to a new byte array.</summary>
    public Func<T, byte[]> Serializer { get; }

    /// <summary>Deserializes a message from a byte array.</summary>
    public Func<byte[], T> Deserializer { get; }

    /// <summary>Serializes a message into a <see cref="SerializationContext"/>.</summary>
    public Action<T, SerializationContext> ContextualSerializer { get; }

    /// <summary>Deserializes a message from a <see cref="DeserializationContext"/>.</summary>
    public Func<DeserializationContext, T> ContextualDeserializer { get; }
}
