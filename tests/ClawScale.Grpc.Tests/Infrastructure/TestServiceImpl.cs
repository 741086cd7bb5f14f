using ClawScale.Grpc.AspNetCore;
using ClawScale.Grpc.Tests.Protos;
using Google.Protobuf;
using Grpc.Core;

namespace ClawScale.Grpc.Tests.Infrastructure;

/// <summary>The test service: resolved per call, observations go to the singleton <see cref="CallProbe"/>.</summary>
public sealed class TestServiceImpl(CallProbe probe) : TestService.TestServiceBase
{
    public override Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
    {
        probe.LastMethod = context.Method;
        probe.LastPeer = context.Peer;
        probe.LastDeadline = context.Deadline;
        probe.LastProtocol = context.GetHttpContext().Request.Protocol;
        var reply = new EchoReply { Text = request.Text, Index = request.Count, Payload = request.Payload };
        if (request.ReplySize > 0)
        {
            reply.Payload = ByteString.CopyFrom(new byte[request.ReplySize]);
        }

        return Task.FromResult(reply);
    }

    public override async Task ServerStream(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        for (var i = 0; i < request.Count; i++)
        {
            await responseStream.WriteAsync(new EchoReply { Text = request.Text, Index = i });
        }

        if (request.Text == "fail-after")
        {
            throw new RpcException(new Status(StatusCode.Aborted, "failed after messages"), new Metadata { { "x-after", "yes" } });
        }

        if (request.Text == "wait")
        {
            // Keeps the stream open after the first messages until the client cancels.
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
    }

    public override async Task<EchoReply> ClientStream(IAsyncStreamReader<EchoRequest> requestStream, ServerCallContext context)
    {
        var texts = new List<string>();
        await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
        {
            texts.Add(message.Text);
        }

        return new EchoReply { Text = string.Join(",", texts), Index = texts.Count };
    }

    public override async Task Duplex(IAsyncStreamReader<EchoRequest> requestStream, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        var index = 0;
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            await responseStream.WriteAsync(new EchoReply { Text = "echo:" + requestStream.Current.Text, Index = index++ });
        }
    }

    public override Task<EchoReply> FailWith(StatusRequest request, ServerCallContext context)
    {
        var trailers = new Metadata();
        if (request.WithTrailers)
        {
            trailers.Add("x-error-info", "text-value");
            trailers.Add("x-error-bin", new byte[] { 0, 1, 2, 254, 255 });
            trailers.Add("grpc-status-details-bin", new byte[] { 8, (byte)request.Code });
        }

        throw new RpcException(new Status((StatusCode)request.Code, request.Detail), trailers);
    }

    public override Task<EchoReply> Throw(EchoRequest request, ServerCallContext context) =>
        throw new InvalidOperationException("secret detail 42");

    public override async Task<EchoReply> WaitForCancellation(EchoRequest request, ServerCallContext context)
    {
        probe.HandlerStarted.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.HandlerCancelled.TrySetResult();
            throw;
        }

        return new EchoReply();
    }

    public override async Task<EchoReply> Headers(EchoRequest request, ServerCallContext context)
    {
        var custom = context.RequestHeaders.GetValue("x-custom") ?? "<missing>";
        var data = context.RequestHeaders.GetValueBytes("x-data-bin") ?? [];
        await context.WriteResponseHeadersAsync(new Metadata
        {
            { "x-response", "header-value" },
            { "x-response-bin", new byte[] { 9, 8, 7 } },
        });
        context.ResponseTrailers.Add("x-trailer", "trailer-value");
        context.ResponseTrailers.Add("x-trailer-bin", new byte[] { 255, 0, 128 });
        return new EchoReply { Text = custom, Payload = ByteString.CopyFrom(data) };
    }
}
