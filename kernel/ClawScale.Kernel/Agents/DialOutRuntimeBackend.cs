using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Grpc.Net.Client;
using ClawScale.Kernel.Grpc;
using ClawScale.Plugins.Agents;
using ClawScale.Protos.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ClawScale.Kernel.Agents;

/// <summary>
/// The built-in backend of agents of kind <c>grpc-runtime</c> (dial-out runtimes): each turn is one call of
/// <c>AgentRuntime.HandleTurn</c> at the agent's config <c>endpoint</c>, with the credential <c>token</c> as bearer
/// metadata, a deadline of config <c>timeout_seconds</c> per attempt and up to <see cref="MaxAttempts"/> attempts while
/// the runtime answers UNAVAILABLE (not when the kernel's network guard refused the endpoint's address). Failures become
/// <see cref="AgentException"/>s: the status and its gRPC detail (<c>grpc-message</c>, or the runtime's
/// <c>HandleTurnResponse.error</c>) for admins, an apology for the user; a non-gRPC answer is described by the client
/// library by its HTTP status only.
/// </summary>
internal sealed partial class DialOutRuntimeBackend : IAgentBackend
{
    /// <summary>Attempts of one turn's call while the runtime is UNAVAILABLE.</summary>
    public const int MaxAttempts = 3;

    /// <summary>The per-attempt deadline when config <c>timeout_seconds</c> is not set.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The delay before the second attempt; doubled before each further one.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The config keys that say where the credential <c>token</c> is sent: <c>endpoint</c>. An UpdateAgent that changes
    /// it must give the token again (see <see cref="Admin.CredentialRedirectGuard"/>).
    /// </summary>
    public static readonly IReadOnlyCollection<string> EndpointConfigKeys = ["endpoint"];

    private const int MaxTimeoutSeconds = 3600;
    private const string UserApology = "Sorry, the assistant could not answer right now. Please try again in a moment.";

    private readonly string _agentId;
    private readonly string _tenantId;
    private readonly Uri _endpoint;
    private readonly string? _token;
    private readonly GrpcChannelCache _channels;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private DialOutRuntimeBackend(string agentId, string tenantId, Uri endpoint, TimeSpan timeout, string? token, GrpcChannelCache channels, TimeProvider time, ILogger logger)
    {
        _agentId = agentId;
        _tenantId = tenantId;
        _endpoint = endpoint;
        Timeout = timeout;
        _token = token;
        _channels = channels;
        _time = time;
        _logger = logger;
    }

    /// <summary>The per-attempt deadline.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>An upper bound of one turn's calls: every attempt at its deadline plus the backoffs, with a margin.</summary>
    public TimeSpan Budget => (Timeout * MaxAttempts) + (FirstBackoff * ((1 << (MaxAttempts - 1)) - 1)) + TimeSpan.FromSeconds(5);

    /// <summary>Problems of a <c>grpc-runtime</c> agent's config, each naming its field; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        Parse(config, problems);
        return problems;
    }

    /// <summary>Creates the backend of an agent from its (validated) config and credentials.</summary>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    public static DialOutRuntimeBackend Create(AgentContext context, GrpcChannelCache channels)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>();
        var (endpoint, timeout) = Parse(context.Config, problems);
        if (problems.Count > 0 || endpoint is null) throw new ArgumentException(string.Join("; ", problems), nameof(context));
        var token = context.Credentials.TryGetValue("token", out var t) && !string.IsNullOrWhiteSpace(t) ? t.Trim() : null;
        return new DialOutRuntimeBackend(context.AgentId, context.TenantId, endpoint, timeout, token, channels, context.TimeProvider, context.Logger);
    }

    private static (Uri? Endpoint, TimeSpan Timeout) Parse(IReadOnlyDictionary<string, string> config, List<string> problems)
    {
        Uri? endpoint = null;
        if (!config.TryGetValue("endpoint", out var raw) || string.IsNullOrWhiteSpace(raw))
        {
            problems.Add("config.endpoint: required for kind 'grpc-runtime': the address of the runtime's AgentRuntime gRPC service, an absolute http:// (h2c) or https:// URL such as http://10.0.0.5:50051.");
        }
        else if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
        {
            problems.Add($"config.endpoint: '{raw}' is not an absolute http:// (h2c) or https:// URL.");
        }
        else if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            problems.Add($"config.endpoint: '{raw}' must be scheme, host and port only (no path, query or user info); gRPC calls go to /clawscale.v1.AgentRuntime/HandleTurn on it.");
        }
        else
        {
            endpoint = uri;
        }

        var timeout = DefaultTimeout;
        if (config.TryGetValue("timeout_seconds", out var seconds) && !string.IsNullOrWhiteSpace(seconds))
        {
            if (int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= MaxTimeoutSeconds)
                timeout = TimeSpan.FromSeconds(value);
            else
                problems.Add($"config.timeout_seconds: '{seconds}' must be a whole number of seconds from 1 to {MaxTimeoutSeconds} (default {DefaultTimeout.TotalSeconds:0}).");
        }

        return (endpoint, timeout);
    }

    /// <summary>Maps the plugin turn to a <see cref="RuntimeTurn"/> and calls the runtime. The dispatcher uses
    /// <see cref="HandleAsync"/> with the full turn (delivery route, attempt) instead.</summary>
    public IAsyncEnumerable<AgentReply> RespondAsync(AgentTurn turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var result = new RuntimeTurn
        {
            TurnId = turn.TurnId,
            TenantId = _tenantId,
            AgentId = _agentId,
            Customer = new Customer { Id = turn.CustomerId, TenantId = _tenantId, DisplayName = turn.CustomerDisplayName ?? string.Empty },
            Conversation = new Conversation { Id = turn.ConversationId, TenantId = _tenantId, CustomerId = turn.CustomerId },
            Message = ToProto(turn.Message, turn.ConversationId),
            Attempt = 1,
        };
        result.History.AddRange(turn.History.Select(m => ToProto(m, turn.ConversationId)));
        return HandleAsync(result, cancellationToken);
    }

    private Message ToProto(ConversationMessage m, string conversationId)
    {
        var message = new Message
        {
            TenantId = _tenantId,
            ConversationId = conversationId,
            Role = m.Role switch { ConversationRole.User => MessageRole.User, ConversationRole.Agent => MessageRole.Agent, _ => MessageRole.System },
            Text = m.Text ?? string.Empty,
            CreateTime = Timestamp.FromDateTimeOffset(m.SentAt),
        };
        message.Attachments.AddRange(m.Attachments.Select(a => a.ToProto()));
        return message;
    }

    /// <summary>Calls <c>HandleTurn</c> for <paramref name="turn"/> (with retries) and yields the runtime's replies.</summary>
    /// <exception cref="AgentException">The call failed (status and detail in the message) or the runtime reported an error.</exception>
    public async IAsyncEnumerable<AgentReply> HandleAsync(RuntimeTurn turn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var response = await CallAsync(turn, cancellationToken);
        if (response.Error.Length > 0)
            throw new AgentException($"runtime at {_endpoint} reported an error: {Scrub(response.Error)}", UserApology);

        var replies = new List<AgentReply>(response.Messages.Count);
        for (var i = 0; i < response.Messages.Count; i++)
        {
            var m = response.Messages[i];
            List<ClawScale.Plugins.Messages.MessageAttachment> attachments;
            try
            {
                attachments = AttachmentValidation.Read(m.Attachments, $"messages[{i}].attachments");
            }
            catch (RpcException ex)
            {
                throw new AgentException($"runtime at {_endpoint} answered an invalid reply: {Scrub(ex.Status.Detail)}", UserApology);
            }

            replies.Add(new AgentReply(m.Text.Length == 0 ? null : m.Text, attachments));
        }

        LogHandled(_logger, turn.TurnId, _endpoint, replies.Count);
        foreach (var reply in replies) yield return reply;
    }

    private async Task<HandleTurnResponse> CallAsync(RuntimeTurn turn, CancellationToken ct)
    {
        var client = new AgentRuntime.AgentRuntimeClient(_channels.Get(_endpoint));
        var request = new HandleTurnRequest { Turn = turn };
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var headers = new Metadata();
            if (_token is not null) headers.Add("authorization", "Bearer " + _token);
            var deadline = _time.GetUtcNow().UtcDateTime + Timeout;
            try
            {
                return await client.HandleTurnAsync(request, new CallOptions(headers, deadline, ct));
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
            {
                throw new OperationCanceledException(ct);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && attempt < MaxAttempts && !IsRefusedTarget(ex))
            {
                LogRetrying(_logger, turn.TurnId, _endpoint, StatusName(ex.StatusCode), attempt, MaxAttempts, backoff);
                await Task.Delay(backoff, _time, ct);
                backoff *= 2;
            }
            catch (RpcException ex)
            {
                var detail = ex.Status.Detail.Length == 0 ? string.Empty : ": " + Scrub(ex.Status.Detail);
                var tries = attempt == 1 ? "1 attempt" : $"{attempt} attempts";
                throw new AgentException($"AgentRuntime.HandleTurn at {_endpoint} failed with {StatusName(ex.StatusCode)}{detail} (after {tries}, deadline {Timeout.TotalSeconds:0.###} s)", UserApology, ex);
            }
        }
    }

    /// <summary>
    /// Whether the call failed because the kernel's network guard refused the endpoint's address: no point retrying,
    /// the status detail names the host, the address and the setting.
    /// </summary>
    private static bool IsRefusedTarget(RpcException ex)
    {
        for (var inner = ex.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is Networking.OutboundTargetRefusedException) return true;
        }

        return false;
    }

    /// <summary>Removes the token from text a runtime or the transport produced, so admins never see it.</summary>
    private string Scrub(string text) => _token is null ? text : text.Replace(_token, "***", StringComparison.Ordinal);

    /// <summary>The canonical gRPC name of a status code (DEADLINE_EXCEEDED).</summary>
    public static string StatusName(StatusCode code)
    {
        var name = code.ToString();
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) builder.Append('_');
            builder.Append(char.ToUpperInvariant(name[i]));
        }

        return builder.ToString();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Dial-out runtime {Endpoint} answered {Status} for turn {TurnId} (attempt {Attempt} of {MaxAttempts}); retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string turnId, Uri endpoint, string status, int attempt, int maxAttempts, TimeSpan delay);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Debug, Message = "Dial-out runtime {Endpoint} handled turn {TurnId} with {Count} replies")]
    private static partial void LogHandled(ILogger logger, string turnId, Uri endpoint, int count);
}

/// <summary>
/// One <see cref="GrpcChannel"/> per dial-out endpoint (scheme, host, port), shared by every agent using it and kept
/// for the life of the registry, so HTTP/2 connections are reused across turns and agent updates. Each channel runs on
/// a handler from <c>createHandler</c> (the kernel's <see cref="Networking.OutboundNetworkGuard"/>), disposed with it.
/// </summary>
internal sealed class GrpcChannelCache(Func<HttpMessageHandler> createHandler) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<GrpcChannel>> _channels = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The channel of <paramref name="endpoint"/>, created on first use.</summary>
    public GrpcChannel Get(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var key = endpoint.GetLeftPart(UriPartial.Authority);
        return _channels.GetOrAdd(key, k => new Lazy<GrpcChannel>(() => GrpcChannel.ForAddress(new Uri(k, UriKind.Absolute),
            new GrpcChannelOptions { HttpHandler = createHandler(), DisposeHttpClient = true }))).Value;
    }

    /// <summary>Disposes every channel.</summary>
    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            if (channel.IsValueCreated) channel.Value.Dispose();
        }

        _channels.Clear();
    }
}
