using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Compression;

namespace ClawScale.Kernel.Grpc;

/// <summary>
/// A <c>grpc-encoding</c> (gzip, deflate) whose corrupt request messages end the call with <c>INTERNAL</c> and a message
/// saying so, logged at Information, instead of grpc-dotnet's <c>UNKNOWN</c> logged at Error with a stack trace (gRPC
/// status code guide: a message that cannot be decompressed with a supported algorithm is INTERNAL). Compression of
/// responses is the wrapped provider's, unchanged.
/// </summary>
/// <param name="inner">grpc-dotnet's provider, e.g. <see cref="GzipCompressionProvider"/>.</param>
internal sealed class DecompressionErrorProvider(ICompressionProvider inner) : ICompressionProvider
{
    /// <inheritdoc />
    public string EncodingName => inner.EncodingName;

    /// <inheritdoc />
    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) => inner.CreateCompressionStream(stream, compressionLevel);

    /// <inheritdoc />
    public Stream CreateDecompressionStream(Stream stream) => new ReportingStream(inner.CreateDecompressionStream(stream), inner.EncodingName);

    /// <summary>Reads through the decompressor; a corrupt stream becomes an <see cref="RpcException"/> (INTERNAL).</summary>
    private sealed class ReportingStream(Stream decompressor, string encoding) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            try
            {
                return decompressor.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw Corrupt(e);
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await decompressor.ReadAsync(buffer, cancellationToken);
            }
            catch (InvalidDataException e)
            {
                throw Corrupt(e);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) decompressor.Dispose();
            base.Dispose(disposing);
        }

        private RpcException Corrupt(InvalidDataException e) => new(new Status(StatusCode.Internal,
            $"The request message could not be decompressed with grpc-encoding '{encoding}' ({e.Message}) Send valid {encoding} data, or the message uncompressed with its compressed flag 0."));
    }
}
