using ClawScale.Client.Internal;
using ClawScale.Client.Runtime;
using Grpc.Net.Client;
using ClawScale.Protos.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client.Configuration;

namespace ClawScale.Client;

/// <summary>
/// A typed client of the ClawScale kernel's gRPC API (<c>clawscale.v1</c>) on Grpc.Net.Client: one channel, and one
/// generated client per service. Every call carries the API key (<c>authorization: Bearer</c>) and, for unary and
/// client-streaming calls without a deadline of their own, <see cref="ClawScaleClientOptions.DefaultDeadline"/>.
/// Failures surface as <see cref="RpcException"/> (Grpc.Core.Api, the same type every grpc-dotnet app catches) with
/// the kernel's status (<c>UNAUTHENTICATED</c>, <c>NOT_FOUND</c>, …). Thread-safe; create one per kernel and reuse it.
/// </summary>
/// <remarks>
/// Created from <see cref="ClawScaleClientOptions"/>, the client owns a <see cref="GrpcChannel"/> whose gRPC retry
/// policy (gRFC A6, <see cref="MethodConfig"/>) retries calls failing with <c>UNAVAILABLE</c> up to
/// <see cref="ClawScaleClientOptions.MaxAttempts"/> times. Created from your own <see cref="GrpcChannel"/> or
/// <see cref="global::Grpc.Core.CallInvoker"/>, it adds only the key and the default deadline: retries, TLS, handlers
/// and interceptors are those of what you passed, and disposing the client does not dispose it.
/// </remarks>
public sealed class ClawScaleClient : IDisposable
{
    private readonly GrpcChannel? _ownedChannel;

    /// <summary>Creates a client with its own channel to <see cref="ClawScaleClientOptions.Address"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    public ClawScaleClient(ClawScaleClientOptions options)
        : this(CreateChannel(options), options, ownsChannel: true)
    {
    }

    /// <summary>Creates a client for <paramref name="address"/> with <paramref name="apiKey"/> and the default settings.</summary>
    /// <param name="address">The kernel's gRPC address, for example <c>http://127.0.0.1:4041</c>.</param>
    /// <param name="apiKey">The API key secret (<c>csk_…</c>), or null.</param>
    public ClawScaleClient(Uri address, string? apiKey)
        : this(new ClawScaleClientOptions { Address = address, ApiKey = apiKey })
    {
    }

    /// <summary>
    /// Creates a client on a channel you created (<c>GrpcChannel.ForAddress(…, yourOptions)</c>). Of
    /// <paramref name="options"/> only <see cref="ClawScaleClientOptions.ApiKey"/>,
    /// <see cref="ClawScaleClientOptions.DefaultDeadline"/> and <see cref="ClawScaleClientOptions.TimeProvider"/> apply;
    /// the channel's own settings (retry policy, handler, credentials) govern the rest. The channel stays yours to dispose.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    public ClawScaleClient(GrpcChannel channel, ClawScaleClientOptions? options = null)
        : this(channel, options ?? new ClawScaleClientOptions(), ownsChannel: false)
    {
    }

    /// <summary>
    /// Creates a client on a <see cref="global::Grpc.Core.CallInvoker"/> you built (for example
    /// <c>channel.Intercept(yourInterceptor)</c>). As with the channel constructor, only the key, the default deadline
    /// and the clock of <paramref name="options"/> apply, and the invoker's channel stays yours.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    public ClawScaleClient(CallInvoker callInvoker, ClawScaleClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(callInvoker);
        options ??= new ClawScaleClientOptions();
        options.Validate();
        Options = options;
        CallInvoker = callInvoker.Intercept(new ClawScaleCallInterceptor(options));
        Admin = new AdminService.AdminServiceClient(CallInvoker);
        Identity = new IdentityService.IdentityServiceClient(CallInvoker);
        Routing = new RoutingService.RoutingServiceClient(CallInvoker);
        Delivery = new DeliveryService.DeliveryServiceClient(CallInvoker);
        Runtime = new RuntimeService.RuntimeServiceClient(CallInvoker);
    }

    private ClawScaleClient(GrpcChannel channel, ClawScaleClientOptions options, bool ownsChannel)
        : this((channel ?? throw new ArgumentNullException(nameof(channel))).CreateCallInvoker(), options)
    {
        if (ownsChannel) _ownedChannel = channel;
    }

    /// <summary>The settings this client was created with.</summary>
    public ClawScaleClientOptions Options { get; }

    /// <summary>The invoker every sub-client uses (key and default deadline added); wrap other generated clients with it.</summary>
    public CallInvoker CallInvoker { get; }

    /// <summary>AdminService: tenants, API keys, channels, agents, bindings, customers, deliveries, turns, plugins.</summary>
    public AdminService.AdminServiceClient Admin { get; }

    /// <summary>IdentityService: resolve, link and unlink external identities; read customers.</summary>
    public IdentityService.IdentityServiceClient Identity { get; }

    /// <summary>RoutingService: conversations, messages and delivery routes.</summary>
    public RoutingService.RoutingServiceClient Routing { get; }

    /// <summary>DeliveryService: proactive deliveries with idempotency keys, and their status.</summary>
    public DeliveryService.DeliveryServiceClient Delivery { get; }

    /// <summary>RuntimeService: the bidi <c>Connect</c> stream of external runtimes; see <see cref="CreateRuntimeWorker"/>.</summary>
    public RuntimeService.RuntimeServiceClient Runtime { get; }

    /// <summary>
    /// A <see cref="RuntimeWorker"/> on this client's connection, which serves turns with <paramref name="handler"/>.
    /// This client's API key must be a runtime key bound to the agents in <paramref name="options"/>.
    /// </summary>
    public RuntimeWorker CreateRuntimeWorker(RuntimeTurnHandler handler, RuntimeWorkerOptions? options = null) =>
        new(Runtime, handler, options ?? new RuntimeWorkerOptions(), Options.TimeProvider);

    /// <summary>
    /// Closes the channel this client created (calls in flight fail with <c>CANCELLED</c> or <c>UNAVAILABLE</c>);
    /// a channel or invoker you passed in is left open.
    /// </summary>
    public void Dispose() => _ownedChannel?.Dispose();

    /// <summary>
    /// The channel of the options constructor: h2c for <c>http://</c>, TLS for <c>https://</c>; the gRPC retry policy
    /// for <c>UNAVAILABLE</c> (attempts, initial and maximum backoff, multiplier 2, jitter per gRFC A6).
    /// </summary>
    private static GrpcChannel CreateChannel(ClawScaleClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var channelOptions = new GrpcChannelOptions
        {
            HttpHandler = options.HttpHandler ?? new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            },
            DisposeHttpClient = true,
            MaxRetryAttempts = options.MaxAttempts,
        };
        if (options.MaxAttempts > 1)
        {
            channelOptions.ServiceConfig = new ServiceConfig
            {
                MethodConfigs =
                {
                    new MethodConfig
                    {
                        Names = { MethodName.Default },
                        RetryPolicy = new RetryPolicy
                        {
                            MaxAttempts = options.MaxAttempts,
                            InitialBackoff = options.InitialBackoff,
                            MaxBackoff = options.MaxBackoff,
                            BackoffMultiplier = 2,
                            RetryableStatusCodes = { StatusCode.Unavailable },
                        },
                    },
                },
            };
        }

        return GrpcChannel.ForAddress(options.Address, channelOptions);
    }
}
