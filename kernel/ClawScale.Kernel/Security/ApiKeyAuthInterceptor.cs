using ClawScale.Kernel.Hosting;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Security;

/// <summary>
/// Authenticates every call to a <c>clawscale.v1</c> service from its <c>authorization</c> metadata and stores the
/// <see cref="Caller"/> in <see cref="ServerCallContext.UserState"/>. Missing or unknown keys: UNAUTHENTICATED.
/// Health and reflection stay open.
/// </summary>
internal sealed partial class ApiKeyAuthInterceptor(
    ApiKeyAuthenticator authenticator,
    KernelPaths paths,
    ILogger<ApiKeyAuthInterceptor> logger) : Interceptor
{
    private const string ProtectedPrefix = "/clawscale.";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        // Health and reflection: straight through, without an async state machine per call.
        return IsProtected(context) ? AuthenticatedAsync(request, context, continuation) : continuation(request, context);

        async Task<TResponse> AuthenticatedAsync(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            await AuthenticateAsync(context);
            return await continuation(request, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateAsync(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateAsync(context);
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthenticateAsync(context);
        await continuation(requestStream, responseStream, context);
    }

    private static bool IsProtected(ServerCallContext context) => context.Method.StartsWith(ProtectedPrefix, StringComparison.Ordinal);

    private async ValueTask AuthenticateAsync(ServerCallContext context)
    {
        if (!IsProtected(context)) return;
        var header = context.RequestHeaders.GetValue("authorization");
        if (string.IsNullOrWhiteSpace(header))
        {
            LogMissing(logger, context.Method, context.Peer);
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                $"Missing 'authorization: Bearer <api key>' metadata. Create a key with AdminService.CreateApiKey; the first platform-admin key is written to {Path.GetFileName(paths.AdminKeyFile)} in the kernel's data directory."));
        }

        var caller = await authenticator.AuthenticateAsync(header, context.CancellationToken);
        if (caller is null)
        {
            LogRejected(logger, context.Method, context.Peer);
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                "The API key is not recognised or has been revoked. Send 'authorization: Bearer csk_…' with a current key."));
        }

        context.UserState[typeof(Caller)] = caller;
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Call to {Method} from {Peer} without an API key")]
    private static partial void LogMissing(ILogger logger, string method, string peer);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Call to {Method} from {Peer} with an unknown or revoked API key")]
    private static partial void LogRejected(ILogger logger, string method, string peer);
}
