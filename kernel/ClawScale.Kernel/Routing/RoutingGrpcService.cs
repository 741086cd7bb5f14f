using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Grpc.Core;

namespace ClawScale.Kernel.Routing;

/// <summary>
/// <c>clawscale.v1.RoutingService</c>. Its RPCs arrive with the external-runtime issue; until then each
/// authenticated call answers UNIMPLEMENTED saying so.
/// </summary>
internal sealed class RoutingGrpcService : RoutingService.RoutingServiceBase
{
    private const string Planned = "it arrives with the routing and runtime APIs";

    public override Task<RouteInboundResponse> RouteInbound(RouteInboundRequest request, ServerCallContext context) => Fail<RouteInboundResponse>(context, "RouteInbound");

    public override Task<GetConversationResponse> GetConversation(GetConversationRequest request, ServerCallContext context) => Fail<GetConversationResponse>(context, "GetConversation");

    public override Task<ListConversationsResponse> ListConversations(ListConversationsRequest request, ServerCallContext context) => Fail<ListConversationsResponse>(context, "ListConversations");

    public override Task<ListMessagesResponse> ListMessages(ListMessagesRequest request, ServerCallContext context) => Fail<ListMessagesResponse>(context, "ListMessages");

    public override Task<BindDeliveryRouteResponse> BindDeliveryRoute(BindDeliveryRouteRequest request, ServerCallContext context) => Fail<BindDeliveryRouteResponse>(context, "BindDeliveryRoute");

    public override Task<GetDeliveryRouteResponse> GetDeliveryRoute(GetDeliveryRouteRequest request, ServerCallContext context) => Fail<GetDeliveryRouteResponse>(context, "GetDeliveryRoute");

    private static Task<T> Fail<T>(ServerCallContext context, string method)
    {
        context.GetCaller();
        throw GrpcErrors.Unimplemented($"RoutingService.{method}", Planned);
    }
}
