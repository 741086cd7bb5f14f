using ClawScale.Grpc.Tests.Protos;
using Grpc.Core;

namespace ClawScale.Grpc.Tests.Infrastructure;

/// <summary>No constructor dependencies and not registered: created per call without the request scope, disposed after.</summary>
public sealed class PingService : OtherService.OtherServiceBase, IDisposable
{
    public static int Created;
    public static int Disposed;

    public PingService() => Interlocked.Increment(ref Created);

    public override Task<EchoReply> Ping(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Text = "pong:" + request.Text, Index = Volatile.Read(ref Created) });

    public void Dispose() => Interlocked.Increment(ref Disposed);
}
