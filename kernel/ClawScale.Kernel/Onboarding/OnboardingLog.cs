using ClawScale.Plugins.Logging;

namespace ClawScale.Kernel.Onboarding;

/// <summary>Log messages of onboarding (join links), event ids 1600–1699.</summary>
internal static partial class OnboardingLog
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Information,
        Message = "Join link {LinkId} created for channel {ChannelId} (tenant {TenantId}) by API key {KeyId}; expires {ExpiresAt:O}, max uses {MaxUses} (0: unlimited)")]
    public static partial void LinkCreated(ILogger logger, string linkId, string tenantId, string channelId, string keyId, DateTime expiresAt, int maxUses);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Join link {LinkId} (tenant {TenantId}) revoked by API key {KeyId}")]
    public static partial void LinkRevoked(ILogger logger, string linkId, string tenantId, string keyId);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information,
        Message = "Join link {LinkId} redeemed on channel {ChannelId} (tenant {TenantId}): identity {IdentityId} tied to customer {CustomerId} by turn {TurnId}")]
    public static partial void Redeemed(ILogger logger, string linkId, string channelId, string tenantId, string identityId, string customerId, string turnId);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Information,
        Message = "Start code refused on channel {ChannelId} (tenant {TenantId}), turn {TurnId}: {Reason}")]
    public static partial void CodeRefused(ILogger logger, string channelId, string tenantId, string turnId, string reason);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Information, Message = "GET /join page answered {Status} for token {TokenPrefix}…: {Reason}")]
    public static partial void PageRefused(ILogger logger, int status, SafeLogString tokenPrefix, string reason);

    [LoggerMessage(EventId = 1605, Level = LogLevel.Warning, Message = "The adapter of channel {ChannelId} failed to give a start link; the join page shows the code instead")]
    public static partial void StartLinkFailed(ILogger logger, string channelId, Exception exception);

    [LoggerMessage(EventId = 1606, Level = LogLevel.Information, Message = "GET /join page of join link {LinkId} answered 410: {Reason}")]
    public static partial void PageGone(ILogger logger, string linkId, string reason);
}
