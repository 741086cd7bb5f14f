using System.Buffers;
using System.IO.Pipelines;
using ClawScale.Grpc.Tests.Protos;
using Google.Protobuf;
using Grpc.Core;

namespace ClawScale.Grpc.Tests.Wire;

public sealed class WireTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("1500u", 15_000L)]
    [InlineData("1000n", 10L)]
    [InlineData("99999999S", 999_999_990_000_000L)]
    public void GrpcTimeout_parses_every_unit(string value, long ticks)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(ticks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10x")]
    [InlineData("-1S")]
    [InlineData("123456789S")]
    [InlineData("S")]
    public void GrpcTimeout_rejects_malformed_values(string value) => Assert.False(GrpcTimeout.TryParse(value, out _));

    [Theory]
    [InlineData(0.5)]
    [InlineData(250)]
    [InlineData(59_000)]
    [InlineData(3_600_000)]
    [InlineData(400_000_000_000)]
    public void GrpcTimeout_format_round_trips_within_8_digits(double milliseconds)
    {
        var timeout = TimeSpan.FromMilliseconds(milliseconds);
        var text = GrpcTimeout.Format(timeout);

        Assert.True(text.Length <= 9, text);
        Assert.True(GrpcTimeout.TryParse(text, out var parsed));
        Assert.True(parsed >= timeout, $"{text} parsed to {parsed}, less than {timeout}");
        Assert.True(parsed - timeout <= TimeSpan.FromTicks(Math.Max(1, timeout.Ticks / 1000)), $"{text} too coarse");
    }

    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("100%", "100%25")]
    [InlineData("héllo\n", "h%C3%A9llo%0A")]
    public void Percent_encoding_follows_the_spec(string value, string encoded)
    {
        Assert.Equal(encoded, GrpcPercentEncoding.Encode(value));
        Assert.Equal(value, GrpcPercentEncoding.Decode(encoded));
    }

    [Fact]
    public void Percent_decoding_keeps_malformed_escapes() => Assert.Equal("50%zz%", GrpcPercentEncoding.Decode("50%zz%"));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Frames_written_by_the_serializer_are_read_back(bool compress)
    {
        var pipe = new Pipe();
        var context = new FrameSerializationContext(pipe.Writer, maxSendMessageSize: null);
        var marshaller = Marshallers.Create<EchoRequest>((m, c) =>
        {
            c.SetPayloadLength(m.CalculateSize());
            m.WriteTo(c.GetBufferWriter());
            c.Complete();
        }, c => EchoRequest.Parser.ParseFrom(c.PayloadAsReadOnlySequence()));
        for (var i = 0; i < 3; i++)
        {
            context.Reset(pipe.Writer, compress);
            marshaller.ContextualSerializer(new EchoRequest { Text = new string('a', 100 * i), Count = i }, context);
        }

        await pipe.Writer.CompleteAsync();
        var reader = new GrpcMessageReader(pipe.Reader, 1024, compress ? "gzip" : null);
        for (var i = 0; i < 3; i++)
        {
            var (has, message) = await reader.ReadMessageAsync(marshaller.ContextualDeserializer, CancellationToken.None);
            Assert.True(has);
            Assert.Equal(i, message.Count);
        }

        Assert.False((await reader.ReadMessageAsync(marshaller.ContextualDeserializer, CancellationToken.None)).HasMessage);
    }

    [Fact]
    public void Serializer_refuses_messages_over_the_send_limit_before_writing()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var context = new FrameSerializationContext(buffer, maxSendMessageSize: 10);
        context.Reset(buffer, compress: false);

        var ex = Assert.Throws<RpcException>(() => context.Complete(new byte[11]));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public async Task Gzip_bomb_is_stopped_at_the_receive_limit()
    {
        var pipe = new Pipe();
        var compressed = GrpcGzip.Compress(new byte[100_000]);
        FrameSerializationContext.WriteHeader(pipe.Writer, compressed: true, compressed.Length);
        await pipe.Writer.WriteAsync(compressed);
        await pipe.Writer.CompleteAsync();
        var reader = new GrpcMessageReader(pipe.Reader, 1000, "gzip");

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadMessageAsync(c => c.PayloadLength, CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public void Metadata_is_case_insensitive_and_validates_keys()
    {
        var metadata = new Metadata { { "X-Key", "one" }, { "x-key", "two" }, { "x-bytes-bin", new byte[] { 1 } } };

        Assert.Equal("two", metadata.GetValue("X-KEY"));
        Assert.Equal(2, metadata.GetAll("x-key").Count());
        Assert.Equal("x-key", metadata[0].Key);
        Assert.True(metadata.Get("x-bytes-bin")!.IsBinary);
        Assert.Throws<ArgumentException>(() => metadata.Add("bad key", "v"));
        Assert.Throws<ArgumentException>(() => metadata.Add("x-text-bin", "text"));
        Assert.Throws<ArgumentException>(() => metadata.Add("x-binary", new byte[] { 1 }));
        Assert.Throws<InvalidOperationException>(() => Metadata.Empty.Add("a", "b"));
    }

    [Fact]
    public void Status_and_RpcException_carry_code_detail_and_trailers()
    {
        var trailers = new Metadata { { "k", "v" } };
        var ex = new RpcException(new Status(StatusCode.NotFound, "missing"), trailers);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("missing", ex.Status.Detail);
        Assert.Same(trailers, ex.Trailers);
        Assert.Equal(StatusCode.OK, Status.DefaultSuccess.StatusCode);
        Assert.Equal(StatusCode.Cancelled, Status.DefaultCancelled.StatusCode);
        Assert.Equal(17, Enum.GetValues<StatusCode>().Length);
    }

    [Fact]
    public void Content_type_check_accepts_suffixes_only()
    {
        Assert.True(GrpcProtocol.IsGrpcContentType("application/grpc"));
        Assert.True(GrpcProtocol.IsGrpcContentType("application/grpc+proto"));
        Assert.True(GrpcProtocol.IsGrpcContentType("application/grpc; charset=utf-8"));
        Assert.False(GrpcProtocol.IsGrpcContentType("application/grpc-web"));
        Assert.False(GrpcProtocol.IsGrpcContentType("application/json"));
        Assert.False(GrpcProtocol.IsGrpcContentType(null));
    }
}
