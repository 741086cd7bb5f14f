using ClawScale.Client.Internal;
using ClawScale.Client.Runtime;
using ClawScale.Grpc.Client;
using ClawScale.Protos.V1;
using Grpc.Core;

namespace ClawScale.Client;

/// <summary>
/// A typed client of the ClawScale kernel's gRPC API (<c>clawscale.v1</c>): one channel, and one generated client per
/// service. Every call carries the API key (<c>authorization: Bearer</c>) and, for unary and client-streaming calls
/// without a deadline of their own, <see cref="ClawScaleClientOptions.DefaultDeadline"/>; unary calls that fail with
/// <c>UNAVAILABLE</c> are retried (<see cref="ClawScaleClientOptions.MaxAttempts"/>). Failures surface as
/// <see cref="RpcException"/> with the kernel's status (<c>UNAUTHENTICATED</c>, <c>NOT_FOUND</c>, …).
/// Thread-safe; create one per kernel and reuse it.
/// </summary>
public sealed class ClawScaleClient : IDisposable
{
    private readonly GrpcChannel _channel;

    /// <summary>Creates a client for <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem listed).</exception>
    public ClawScaleClient(ClawScaleClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _channel = GrpcChannel.ForAddress(options.Address, new GrpcChannelOptions { HttpHandler = options.HttpHandler, DisposeHttpClient = true });
        CallInvoker = new ClawScaleCallInvoker(_channel.CreateCallInvoker(), options);
        Admin = new AdminService.AdminServiceClient(CallInvoker);
        Identity = new IdentityService.IdentityServiceClient(CallInvoker);
        Routing = new RoutingService.RoutingServiceClient(CallInvoker);
        Delivery = new DeliveryService.DeliveryServiceClient(CallInvoker);
        Runtime = new RuntimeService.RuntimeServiceClient(CallInvoker);
    }

    /// <summary>Creates a client for <paramref name="address"/> with <paramref name="apiKey"/> and the default settings.</summary>
    /// <param name="address">The kernel's gRPC address, for example <c>http://127.0.0.1:4041</c>.</param>
    /// <param name="apiKey">The API key secret (<c>csk_…</c>), or null.</param>
    public ClawScaleClient(Uri address, string? apiKey)
        : this(new ClawScaleClientOptions { Address = address, ApiKey = apiKey })
    {
    }

    /// <summary>The settings this client was created with.</summary>
    public ClawScaleClientOptions Options { get; }

    /// <summary>The invoker every sub-client uses (auth, default deadline, retry); wrap other generated clients with it.</summary>
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

    /// <summary>Closes the channel; calls in flight fail with <c>CANCELLED</c> or <c>UNAVAILABLE</c>.</summary>
    public void Dispose() => _channel.Dispose();
}
