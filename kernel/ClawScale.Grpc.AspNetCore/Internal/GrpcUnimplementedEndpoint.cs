using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Logging;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>
/// The catch-all that answers gRPC POSTs to unknown services or methods with UNIMPLEMENTED (12), trailers-only.
/// Matches only <c>application/grpc</c> requests (a route constraint) and runs after every other endpoint.
/// </summary>
internal static class GrpcUnimplementedEndpoint
{
    private const string ServiceKey = "unimplementedService";
    private const string MethodKey = "unimplementedMethod";

    public static void Map(IEndpointRouteBuilder endpoints, GrpcServiceRegistry registry, ILogger logger)
    {
        var pattern = RoutePatternFactory.Parse(
            "{" + ServiceKey + "}/{" + MethodKey + "}",
            defaults: null,
            parameterPolicies: new RouteValueDictionary { [MethodKey] = new GrpcContentTypeConstraint() });
        endpoints.Map(pattern, context => HandleAsync(context, registry, logger))
            .WithMetadata(new HttpMethodMetadata(["POST"]))
            .WithDisplayName("gRPC - Unimplemented service or method")
            .Add(b => ((RouteEndpointBuilder)b).Order = int.MaxValue);
    }

    private static Task HandleAsync(HttpContext context, GrpcServiceRegistry registry, ILogger logger)
    {
        var service = context.Request.RouteValues[ServiceKey] as string ?? "";
        var method = context.Request.RouteValues[MethodKey] as string ?? "";
        string detail;
        if (registry.TryGetService(service, out _))
        {
            GrpcServerLog.MethodUnimplemented(logger, service, method);
            detail = $"Method '{method}' is unimplemented by service '{service}'.";
        }
        else
        {
            GrpcServerLog.ServiceUnimplemented(logger, service);
            detail = $"Service '{service}' is unimplemented.";
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.StatusHeader] = ((int)StatusCode.Unimplemented).ToString(CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocol.MessageHeader] = GrpcPercentEncoding.Encode(detail);
        return Task.CompletedTask;
    }

    private sealed class GrpcContentTypeConstraint : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            httpContext is not null && GrpcProtocol.IsGrpcContentType(httpContext.Request.ContentType);
    }
}
