using System.Buffers;
using System.IO.Compression;
using Grpc.Core;

namespace ClawScale.Grpc;

/// <summary>gzip message compression (the <c>gzip</c> encoding of the gRPC compression spec), per message.</summary>
public static class GrpcGzip
{
    /// <summary>Compresses a payload.</summary>
    /// <param name="payload">The serialized message.</param>
    /// <param name="level">The compression level.</param>
    public static byte[] Compress(ReadOnlySpan<byte> payload, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, level, leaveOpen: true))
        {
            gzip.Write(payload);
        }

        return output.ToArray();
    }

    /// <summary>Decompresses a payload, refusing output larger than <paramref name="maxSize"/> bytes.</summary>
    /// <param name="payload">The compressed message.</param>
    /// <param name="maxSize">The largest allowed decompressed size in bytes, or <c>null</c> for no limit.</param>
    /// <exception cref="RpcException">INTERNAL for corrupt data; RESOURCE_EXHAUSTED when larger than <paramref name="maxSize"/>.</exception>
    public static byte[] Decompress(ReadOnlySequence<byte> payload, int? maxSize)
    {
        try
        {
            using var input = new MemoryStream(payload.ToArray());
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
                {
                    output.Write(buffer, 0, read);
                    if (maxSize is { } max && output.Length > max)
                    {
                        throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size after decompression: more than {max} bytes."));
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Failed to decompress message: invalid gzip data.", ex));
        }
    }
}
