using ClawScale.Grpc.AspNetCore.Internal;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace ClawScale.Grpc.AspNetCore;

/// <summary>Extensions for <see cref="ServerCallContext"/>.</summary>
public static class ServerCallContextExtensions
{
    /// <summary>The <see cref="HttpContext"/> of the call (for features, user, connection info).</summary>
    /// <exception cref="InvalidOperationException">The context does not come from this server layer.</exception>
    public static HttpContext GetHttpContext(this ServerCallContext serverCallContext)
    {
        ArgumentNullException.ThrowIfNull(serverCallContext);
        return serverCallContext is HttpContextServerCallContext context
            ? context.HttpContext
            : throw new InvalidOperationException($"Could not get HttpContext from ServerCallContext of type {serverCallContext.GetType().FullName}.");
    }
}
