using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>Source-generated log messages of the server layer; event ids are stable.</summary>
internal static partial class GrpcServerLog
{
    [LoggerMessage(EventId = 1, EventName = "ErrorExecutingServiceMethod", Level = LogLevel.Error, Message = "Error when executing service method '{Method}'.")]
    public static partial void ErrorExecutingServiceMethod(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 2, EventName = "RpcStatusRaised", Level = LogLevel.Information, Message = "Call '{Method}' ended with status {StatusCode}: '{Detail}'.")]
    public static partial void RpcStatusRaised(ILogger logger, string method, StatusCode statusCode, string detail);

    [LoggerMessage(EventId = 3, EventName = "CallCancelled", Level = LogLevel.Information, Message = "Call '{Method}' was cancelled by the client or the connection closed.")]
    public static partial void CallCancelled(ILogger logger, string method);

    [LoggerMessage(EventId = 4, EventName = "DeadlineExceeded", Level = LogLevel.Information, Message = "Call '{Method}' exceeded its deadline of {Timeout}.")]
    public static partial void DeadlineExceeded(ILogger logger, string method, TimeSpan timeout);

    [LoggerMessage(EventId = 5, EventName = "ServiceUnimplemented", Level = LogLevel.Information, Message = "Service '{Service}' is unimplemented.")]
    public static partial void ServiceUnimplemented(ILogger logger, string service);

    [LoggerMessage(EventId = 6, EventName = "MethodUnimplemented", Level = LogLevel.Information, Message = "Method '{Method}' of service '{Service}' is unimplemented.")]
    public static partial void MethodUnimplemented(ILogger logger, string service, string method);

    [LoggerMessage(EventId = 7, EventName = "UnsupportedRequest", Level = LogLevel.Information, Message = "Request to '{Method}' rejected with HTTP {HttpStatus}: {Reason}")]
    public static partial void UnsupportedRequest(ILogger logger, string method, int httpStatus, string reason);

    [LoggerMessage(EventId = 8, EventName = "InvalidTimeout", Level = LogLevel.Debug, Message = "Ignoring invalid grpc-timeout '{Value}' on '{Method}'.")]
    public static partial void InvalidTimeout(ILogger logger, string method, string value);
}
