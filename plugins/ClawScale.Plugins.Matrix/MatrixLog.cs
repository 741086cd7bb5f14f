using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Matrix;

/// <summary>Source-generated log messages of the Matrix plugin (event ids 5750–5799). Never log the token.</summary>
internal static partial class MatrixLog
{
    [LoggerMessage(EventId = 5750, Level = LogLevel.Debug, Message = "Matrix {Route} answered {Status}")]
    public static partial void CallSucceeded(ILogger logger, string route, int status);

    [LoggerMessage(EventId = 5751, Level = LogLevel.Warning, Message = "Matrix {Route} failed ({Status} {ErrCode}): {Error}")]
    public static partial void CallFailed(ILogger logger, string route, int status, SafeLogString errCode, SafeLogString error);

    [LoggerMessage(EventId = 5760, Level = LogLevel.Information, Message = "Matrix channel connected as {UserId}")]
    public static partial void Connected(ILogger logger, SafeLogString userId);

    [LoggerMessage(EventId = 5761, Level = LogLevel.Error, Message = "Matrix channel cannot connect: {Error}")]
    public static partial void ConnectFailed(ILogger logger, SafeLogString error);

    [LoggerMessage(EventId = 5770, Level = LogLevel.Information, Message = "Matrix sync started ({Start})")]
    public static partial void SyncStarted(ILogger logger, string start);

    [LoggerMessage(EventId = 5771, Level = LogLevel.Warning, Message = "Matrix sync failed ({Status} {ErrCode}): {Error}; retrying in {DelayMs:0} ms")]
    public static partial void SyncRetry(ILogger logger, int status, SafeLogString errCode, SafeLogString error, double delayMs);

    [LoggerMessage(EventId = 5772, Level = LogLevel.Warning, Message = "Matrix events of a sync were not accepted by the kernel; the sync is repeated")]
    public static partial void SinkFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5773, Level = LogLevel.Error, Message = "Matrix sync stopped: {Error}")]
    public static partial void SyncStopped(ILogger logger, SafeLogString error);

    [LoggerMessage(EventId = 5774, Level = LogLevel.Debug, Message = "Matrix event {EventId} ignored: {Reason}")]
    public static partial void EventIgnored(ILogger logger, SafeLogString eventId, string reason);

    [LoggerMessage(EventId = 5775, Level = LogLevel.Information, Message = "Matrix invite to {RoomId} {Outcome}")]
    public static partial void Invite(ILogger logger, SafeLogString roomId, string outcome);

    [LoggerMessage(EventId = 5776, Level = LogLevel.Warning, Message = "Matrix timeline of room {RoomId} was limited: events between two syncs were skipped by the homeserver")]
    public static partial void TimelineLimited(ILogger logger, SafeLogString roomId);

    [LoggerMessage(EventId = 5780, Level = LogLevel.Warning, Message = "Matrix send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, string outcome, SafeLogString error);
}
