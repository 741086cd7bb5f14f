using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace ClawScale.Kernel.Grpc;

/// <summary>
/// Discovers the methods of a generated gRPC service (its <see cref="BindServiceMethodAttribute"/> <c>BindService</c>)
/// for grpc-dotnet, as grpc-dotnet's own binder provider does, with one difference: a request that is not valid
/// protobuf for the method's request type ends the call with <c>INTERNAL</c> and a message naming the type, logged at
/// Information, instead of grpc-dotnet's <c>UNKNOWN</c> "Exception was thrown by handler." logged at Error with a
/// stack trace (gRPC status code guide: "Error parsing request proto" is INTERNAL). Registered in place of
/// grpc-dotnet's provider by <see cref="GrpcServerExtensions.AddClawScaleGrpc"/>.
/// </summary>
/// <typeparam name="TService">The service implementation, e.g. <c>AdminGrpcService</c>.</typeparam>
internal sealed class RequestParsingMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var bind = FindBindMethod(typeof(TService));
        if (bind is null) return; // not a generated service: nothing to bind, as with grpc-dotnet's provider
        bind.Invoke(null, [new Binder(context), null]);
    }

    private static MethodInfo? FindBindMethod(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not { } attribute) continue;
            return attribute.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .FirstOrDefault(m => m.Name == attribute.BindMethodName && m.GetParameters() is [var first, _] && first.ParameterType == typeof(ServiceBinderBase));
        }

        return null;
    }

    /// <summary>The binder the generated <c>BindService</c> calls once per method; it adds each to grpc-dotnet.</summary>
    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Parsing(method), Metadata(method, typeof(TRequest), typeof(ServerCallContext)),
                Invoker<global::Grpc.AspNetCore.Server.Model.UnaryServerMethod<TService, TRequest, TResponse>>(method, typeof(TRequest), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(Parsing(method), Metadata(method, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)),
                Invoker<global::Grpc.AspNetCore.Server.Model.ClientStreamingServerMethod<TService, TRequest, TResponse>>(method, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(Parsing(method), Metadata(method, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)),
                Invoker<global::Grpc.AspNetCore.Server.Model.ServerStreamingServerMethod<TService, TRequest, TResponse>>(method, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(Parsing(method), Metadata(method, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)),
                Invoker<global::Grpc.AspNetCore.Server.Model.DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        /// <summary>The same method with a request deserializer that turns a protobuf parse failure into INTERNAL.</summary>
        private static Method<TRequest, TResponse> Parsing<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class
        {
            var deserialize = method.RequestMarshaller.ContextualDeserializer;
            var requestMarshaller = Marshallers.Create(method.RequestMarshaller.ContextualSerializer, context =>
            {
                try
                {
                    return deserialize(context);
                }
                catch (InvalidProtocolBufferException e)
                {
                    throw new RpcException(new Status(StatusCode.Internal,
                        $"The request is not a valid {typeof(TRequest).Name} protobuf message ({e.Message}) Send the request message {method.FullName} declares in its .proto file."));
                }
            });
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, requestMarshaller, method.ResponseMarshaller);
        }

        /// <summary>The service's and the method's attributes, as grpc-dotnet gives endpoints (authorization, CORS, …).</summary>
        private static List<object> Metadata(IMethod method, params Type[] parameters)
        {
            var metadata = new List<object>(typeof(TService).GetCustomAttributes(inherit: true));
            if (Find(method, parameters) is { } handler) metadata.AddRange(handler.GetCustomAttributes(inherit: true));
            return metadata;
        }

        /// <summary>An open-instance delegate calling the implementation's override (or the base's UNIMPLEMENTED one).</summary>
        private static TDelegate Invoker<TDelegate>(IMethod method, params Type[] parameters)
            where TDelegate : Delegate =>
            (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), Find(method, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService).FullName} has no public method {method.Name} for {method.FullName}."));

        private static MethodInfo? Find(IMethod method, Type[] parameters) =>
            typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameters);
    }
}
