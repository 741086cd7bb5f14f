using System.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>
/// Receives the methods of <typeparamref name="TService"/> from the generated <c>BindService</c> (called with a
/// <c>null</c> instance, so only descriptors arrive) and maps one POST endpoint per method to a call handler.
/// </summary>
internal sealed class GrpcServiceBinder<TService>(
    IEndpointRouteBuilder endpoints,
    GrpcServiceRegistry.RegisteredService registered,
    GrpcServerOptions options,
    ILogger logger,
    TimeProvider timeProvider,
    ServiceActivation<TService> serviceActivation,
    InterceptorActivation[] interceptors,
    List<IEndpointConventionBuilder> builders) : ServiceBinderBase
    where TService : class
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, definition) = Bind<Func<TService, TRequest, ServerCallContext, Task<TResponse>>>(method, typeof(TRequest), typeof(ServerCallContext));
        Map(definition, new UnaryServerCallHandler<TService, TRequest, TResponse>(method, definition, options, logger, timeProvider, serviceActivation, interceptors, invoker).HandleCallAsync);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, definition) = Bind<Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>>>(method, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
        Map(definition, new ClientStreamingServerCallHandler<TService, TRequest, TResponse>(method, definition, options, logger, timeProvider, serviceActivation, interceptors, invoker).HandleCallAsync);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, definition) = Bind<Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>>(method, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
        Map(definition, new ServerStreamingServerCallHandler<TService, TRequest, TResponse>(method, definition, options, logger, timeProvider, serviceActivation, interceptors, invoker).HandleCallAsync);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, definition) = Bind<Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task>>(method, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
        Map(definition, new DuplexStreamingServerCallHandler<TService, TRequest, TResponse>(method, definition, options, logger, timeProvider, serviceActivation, interceptors, invoker).HandleCallAsync);
    }

    private (TDelegate Invoker, ServerMethodDefinition Definition) Bind<TDelegate>(IMethod method, params Type[] parameterTypes)
        where TDelegate : Delegate
    {
        var methodInfo = typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameterTypes)
            ?? throw new InvalidOperationException($"Could not find method '{method.Name}' on gRPC service type {typeof(TService).FullName} for {method.FullName}.");

        // The generated base declares a virtual method that throws UNIMPLEMENTED; "has a handler" means overridden.
        var hasHandler = methodInfo.DeclaringType != methodInfo.GetBaseDefinition().DeclaringType || !methodInfo.IsVirtual;
        registered.Methods[method.Name] = hasHandler;
        var invoker = methodInfo.CreateDelegate<TDelegate>();
        return (invoker, new ServerMethodDefinition(method, typeof(TService), hasHandler));
    }

    private void Map(ServerMethodDefinition definition, Microsoft.AspNetCore.Http.RequestDelegate handler)
    {
        var builder = endpoints.MapPost(definition.FullName, handler)
            .WithDisplayName($"gRPC - {definition.FullName}")
            .WithMetadata(definition);
        builders.Add(builder);
    }
}
