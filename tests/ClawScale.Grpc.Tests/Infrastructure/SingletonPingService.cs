using ClawScale.Grpc.Tests.Protos;
using Grpc.Core;

namespace ClawScale.Grpc.Tests.Infrastructure;

/// <summary>Registered as a singleton: one instance serves every call (Index counts the calls it served).</summary>
public sealed class SingletonPingService : OtherService.OtherServiceBase
{
    public static int Created;
    private int _calls;

    public SingletonPingService() => Interlocked.Increment(ref Created);

    public override Task<EchoReply> Ping(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoReply { Text = "pong:" + request.Text, Index = Interlocked.Increment(ref _calls) });
}
