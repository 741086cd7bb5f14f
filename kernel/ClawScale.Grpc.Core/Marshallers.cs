namespace Grpc.Core;

/// <summary>Factory methods for <see cref="Marshaller{T}"/>.</summary>
public static class Marshallers
{
    /// <summary>Creates a marshaller from byte-array functions.</summary>
    public static Marshaller<T> Create<T>(Func<T, byte[]> serializer, Func<byte[], T> deserializer) => new(serializer, deserializer);

    /// <summary>Creates a marshaller from contextual functions (used by Grpc.Tools generated code).</summary>
    public static Marshaller<T> Create<T>(Action<T, SerializationContext> serializer, Func<DeserializationContext, T> deserializer) => new(serializer, deserializer);

    /// <summary>A marshaller for UTF-8 strings.</summary>
    public static Marshaller<string> StringMarshaller { get; } =
        new(System.Text.Encoding.UTF8.GetBytes, System.Text.Encoding.UTF8.GetString);
}
