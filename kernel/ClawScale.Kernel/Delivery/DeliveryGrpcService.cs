using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Grpc.Core;

namespace ClawScale.Kernel.Delivery;

/// <summary>
/// <c>clawscale.v1.DeliveryService</c>. Its RPCs arrive with the external-runtime issue; until then each
/// authenticated call answers UNIMPLEMENTED saying so.
/// </summary>
internal sealed class DeliveryGrpcService : DeliveryService.DeliveryServiceBase
{
    private const string Planned = "it arrives with the delivery and runtime APIs";

    public override Task<DeliverResponse> Deliver(DeliverRequest request, ServerCallContext context) => Fail<DeliverResponse>(context, "Deliver");

    public override Task<GetDeliveryResponse> GetDelivery(GetDeliveryRequest request, ServerCallContext context) => Fail<GetDeliveryResponse>(context, "GetDelivery");

    public override Task<ListDeliveriesResponse> ListDeliveries(ListDeliveriesRequest request, ServerCallContext context) => Fail<ListDeliveriesResponse>(context, "ListDeliveries");

    public override Task WatchDeliveries(WatchDeliveriesRequest request, IServerStreamWriter<WatchDeliveriesResponse> responseStream, ServerCallContext context) =>
        Fail<object>(context, "WatchDeliveries");

    private static Task<T> Fail<T>(ServerCallContext context, string method)
    {
        context.GetCaller();
        throw GrpcErrors.Unimplemented($"DeliveryService.{method}", Planned);
    }
}
