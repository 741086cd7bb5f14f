using System.Text.Json;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline;
using ClawScale.Plugins.Messages;
using ClawScale.Protos.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ClawScale.Kernel.Grpc;

/// <summary>Entity → API message mapping. Secrets never leave: only the names of set credentials are mapped.</summary>
internal static class ProtoMapping
{
    public static Timestamp Ts(DateTime value) => Timestamp.FromDateTime(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static Tenant ToProto(this TenantEntity e) => new()
    {
        Id = e.Id,
        Slug = e.Slug,
        DisplayName = e.DisplayName,
        CreateTime = Ts(e.CreatedAt),
        UpdateTime = Ts(e.UpdatedAt),
    };

    public static ApiKey ToProto(this ApiKeyEntity e)
    {
        var key = new ApiKey
        {
            Id = e.Id,
            TenantId = e.TenantId ?? string.Empty,
            Name = e.Name,
            Scope = (ApiKeyScope)(int)e.Scope,
            Prefix = e.Prefix,
            CreateTime = Ts(e.CreatedAt),
        };
        if (e.AgentIds.Length > 0) key.AgentIds.AddRange(e.AgentIds.Split(','));
        if (e.RevokedAt is { } revoked) key.RevokeTime = Ts(revoked);
        if (e.LastUsedAt is { } used) key.LastUsedTime = Ts(used);
        return key;
    }

    public static Channel ToProto(this ChannelEntity e)
    {
        var channel = new Channel
        {
            Id = e.Id,
            TenantId = e.TenantId,
            Kind = e.Kind,
            DisplayName = e.DisplayName,
            Ownership = (ChannelOwnership)(int)e.Ownership,
            CustomerId = e.CustomerId ?? string.Empty,
            Status = (ChannelStatus)(int)e.Status,
            WebhookPath = $"/webhooks/{e.Id}",
            LastError = e.LastError,
            CreateTime = Ts(e.CreatedAt),
            UpdateTime = Ts(e.UpdatedAt),
        };
        channel.Config.Add(ReadMap(e.ConfigJson));
        channel.CredentialKeysSet.AddRange(SplitKeys(e.CredentialKeys));
        return channel;
    }

    public static Agent ToProto(this AgentEntity e)
    {
        var agent = new Agent
        {
            Id = e.Id,
            TenantId = e.TenantId,
            Name = e.Name,
            Kind = e.Kind,
            CreateTime = Ts(e.CreatedAt),
            UpdateTime = Ts(e.UpdatedAt),
        };
        agent.Config.Add(ReadMap(e.ConfigJson));
        agent.CredentialKeysSet.AddRange(SplitKeys(e.CredentialKeys));
        return agent;
    }

    public static AgentBinding ToProto(this AgentBindingEntity e) => new()
    {
        Id = e.Id,
        TenantId = e.TenantId,
        AgentId = e.AgentId,
        CustomerId = e.CustomerId ?? string.Empty,
        ChannelId = e.ChannelId ?? string.Empty,
        CreateTime = Ts(e.CreatedAt),
    };

    public static Customer ToProto(this CustomerEntity e) => new()
    {
        Id = e.Id,
        TenantId = e.TenantId,
        DisplayName = e.DisplayName,
        CreateTime = Ts(e.CreatedAt),
        UpdateTime = Ts(e.UpdatedAt),
    };

    public static ExternalIdentity ToProto(this ExternalIdentityEntity e) => new()
    {
        Id = e.Id,
        TenantId = e.TenantId,
        CustomerId = e.CustomerId,
        Provider = e.Provider,
        IdentityType = e.IdentityType,
        Value = e.Value,
        CreateTime = Ts(e.CreatedAt),
    };

    public static ClawScale.Protos.V1.Delivery ToProto(this OutboundDeliveryEntity e)
    {
        var delivery = new ClawScale.Protos.V1.Delivery
        {
            Id = e.Id,
            TenantId = e.TenantId,
            DeliveryRouteId = e.DeliveryRouteId,
            ChannelId = e.ChannelId,
            ConversationId = e.ConversationId ?? string.Empty,
            IdempotencyKey = e.IdempotencyKey,
            Status = (DeliveryStatus)(int)e.Status,
            Text = e.Text,
            Attempts = e.Attempts,
            NextAttemptTime = Ts(e.NextAttemptAt),
            LastError = e.LastError,
            ProviderMessageId = e.ProviderMessageId,
            CreateTime = Ts(e.CreatedAt),
            UpdateTime = Ts(e.UpdatedAt),
        };
        delivery.Attachments.AddRange(AttachmentJson.Read(e.AttachmentsJson).Select(a => a.ToProto()));
        return delivery;
    }

    public static DeliveryRoute ToProto(this DeliveryRouteEntity e) => new()
    {
        Id = e.Id,
        TenantId = e.TenantId,
        ChannelId = e.ChannelId,
        ExternalChatId = e.ExternalChatId,
        ExternalThreadId = e.ExternalThreadId,
        ConversationKey = e.ConversationKey ?? string.Empty,
        CustomerId = e.CustomerId ?? string.Empty,
        CreateTime = Ts(e.CreatedAt),
    };

    public static Conversation ToProto(this ConversationEntity e) => new()
    {
        Id = e.Id,
        TenantId = e.TenantId,
        ChannelId = e.ChannelId,
        CustomerId = e.CustomerId,
        ExternalChatId = e.ExternalChatId,
        ExternalThreadId = e.ExternalThreadId,
        DeliveryRouteId = e.DeliveryRouteId,
        CreateTime = Ts(e.CreatedAt),
        LastMessageTime = Ts(e.LastMessageAt),
    };

    public static Message ToProto(this MessageEntity e)
    {
        var message = new Message
        {
            Id = e.Id,
            TenantId = e.TenantId,
            ConversationId = e.ConversationId,
            Role = (MessageRole)(int)e.Role,
            Text = e.Text,
            ProviderMessageId = e.ProviderMessageId,
            CreateTime = Ts(e.CreatedAt),
        };
        message.Attachments.AddRange(AttachmentJson.Read(e.AttachmentsJson).Select(a => a.ToProto()));
        return message;
    }

    /// <summary>An API attachment as the plugin SDK's attachment (empty strings become null).</summary>
    public static MessageAttachment FromProto(this Attachment a) => new()
    {
        Kind = (ClawScale.Plugins.Messages.AttachmentKind)(int)a.Kind,
        Url = a.Url.Length == 0 ? null : a.Url,
        FileName = a.FileName.Length == 0 ? null : a.FileName,
        MimeType = a.MimeType.Length == 0 ? null : a.MimeType,
        SizeBytes = a.SizeBytes == 0 ? null : a.SizeBytes,
        ProviderFileId = a.ProviderFileId.Length == 0 ? null : a.ProviderFileId,
        Data = a.Data.IsEmpty ? null : a.Data.Memory,
    };

    public static Attachment ToProto(this MessageAttachment a)
    {
        var attachment = new Attachment
        {
            Kind = (ClawScale.Protos.V1.AttachmentKind)(int)a.Kind,
            Url = a.Url ?? string.Empty,
            FileName = a.FileName ?? string.Empty,
            MimeType = a.MimeType ?? string.Empty,
            SizeBytes = a.SizeBytes ?? 0,
            ProviderFileId = a.ProviderFileId ?? string.Empty,
        };
        if (a.Data is { } data) attachment.Data = ByteString.CopyFrom(data.Span);
        return attachment;
    }

    public static Dictionary<string, string> ReadMap(string json) => Pipeline.JsonMaps.Read(json);

    public static string WriteMap(IReadOnlyDictionary<string, string> map) => Pipeline.JsonMaps.Write(map);

    public static string JoinKeys(IEnumerable<string> keys) => string.Join(',', keys.Order(StringComparer.Ordinal));

    public static IEnumerable<string> SplitKeys(string keys) => keys.Length == 0 ? [] : keys.Split(',');

    /// <summary>Applies set/remove semantics: an empty value removes the key.</summary>
    public static Dictionary<string, string> Merge(Dictionary<string, string> current, IEnumerable<KeyValuePair<string, string>> changes)
    {
        foreach (var (key, value) in changes)
        {
            if (value.Length == 0) current.Remove(key);
            else current[key] = value;
        }

        return current;
    }
}
