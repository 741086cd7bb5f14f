using ClawScale.Kernel.Hosting;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Security;

/// <summary>
/// Authenticates every call to a <c>clawscale.v1</c> service from its <c>authorization</c> metadata and stores the
/// <see cref="Caller"/> in <see cref="ServerCallContext.UserState"/>. Missing, malformed, unknown or revoked keys:
/// UNAUTHENTICATED. A client address with too many failed checks (<see cref="AuthFailureLimiter"/>): RESOURCE_EXHAUSTED
/// with a <c>retry-after</c> trailer, without a database query, unless its key is one this instance has already
/// verified. Health and reflection stay open.
/// </summary>
internal sealed partial class ApiKeyAuthInterceptor(
    ApiKeyAuthenticator authenticator,
    AuthFailureLimiter failures,
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

        // A key verified within the cache TTL needs neither the database nor the failure limit.
        var wellFormed = ApiKeyAuthenticator.TryHash(header, out var hash);
        var caller = wellFormed ? await authenticator.FromMemoryAsync(hash, context.CancellationToken) : null;
        if (caller is null)
        {
            string? peer = null;
            if (failures.IsEnabled)
            {
                peer = AuthFailureLimiter.PeerKey(AuthFailureLimiter.RemoteAddress(context));
                if (failures.RetryAfter(peer) is { } wait) throw failures.Refusal(wait);
            }

            // A malformed key is rejected without a query, but counts as a failure like an unknown one.
            caller = wellFormed ? await authenticator.LookUpAsync(hash, context.CancellationToken) : null;
            if (caller is null)
            {
                if (peer is not null) failures.RecordFailure(peer);
                LogRejected(logger, context.Method, context.Peer);
                throw Rejected();
            }
        }

        context.UserState[typeof(Caller)] = caller;
    }

    private static RpcException Rejected() => new(new Status(StatusCode.Unauthenticated,
        "The API key is not recognised or has been revoked. Send 'authorization: Bearer csk_…' with a current key."));

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Call to {Method} from {Peer} without an API key")]
    private static partial void LogMissing(ILogger logger, string method, string peer);

    // One line per rejected call, bounded per address by ClawScale:Security:AuthFailureLimit (refused calls are logged by
    // AuthFailureLimiter, once per episode).
    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Call to {Method} from {Peer} with an unknown or revoked API key")]
    private static partial void LogRejected(ILogger logger, string method, string peer);
}
