using ClawScale.Plugins.Logging;

namespace ClawScale.Kernel.Console;

/// <summary>The console's log events (ids 1500–1599).</summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Console sign-in with API key {KeyId} ({Scope}) from {Remote}")]
    public static partial void SignedIn(ILogger logger, string keyId, string scope, string remote);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Console sign-in from {Remote} refused: {Reason}")]
    public static partial void SignInRefused(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Console sign-out of API key {KeyId}")]
    public static partial void SignedOut(ILogger logger, string keyId);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Console POST {Path} from {Remote} refused: missing or invalid anti-forgery token")]
    public static partial void CsrfRefused(ILogger logger, SafeLogString path, string remote);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Information, Message = "Console {Method} {Path} by API key {KeyId}: the API answered {Status}")]
    public static partial void ApiRefused(ILogger logger, string method, SafeLogString path, string keyId, global::Grpc.Core.StatusCode status);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Warning, Message = "Console {Method} {Path}: the kernel's gRPC API did not answer ({Status}: {Detail})")]
    public static partial void ApiUnavailable(ILogger logger, string method, SafeLogString path, global::Grpc.Core.StatusCode status, SafeLogString detail);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Information, Message = "Console session of API key {KeyId} ended: the API no longer accepts the key")]
    public static partial void SessionKeyRefused(ILogger logger, string keyId);

    [LoggerMessage(EventId = 1507, Level = LogLevel.Information, Message = "Console: API key {KeyId} created key {NewKeyId} ({Scope}) in tenant {TenantId}")]
    public static partial void KeyCreated(ILogger logger, string keyId, string newKeyId, ClawScale.Protos.V1.ApiKeyScope scope, string tenantId);
}
