using ClawScale.Plugins.Messages;
using Google.Protobuf.Collections;

namespace ClawScale.Kernel.Grpc;

/// <summary>Validation of API attachments (resources.proto <c>Attachment</c>): a known kind and a source.</summary>
internal static class AttachmentValidation
{
    /// <summary>Inline data limit of resources.proto: 4 MiB.</summary>
    public const int MaxInlineBytes = 4 * 1024 * 1024;

    /// <summary>The attachments as SDK attachments; INVALID_ARGUMENT naming <c>{field}[i]</c> for a bad one.</summary>
    public static List<MessageAttachment> Read(RepeatedField<ClawScale.Protos.V1.Attachment> attachments, string field)
    {
        var result = new List<MessageAttachment>(attachments.Count);
        for (var i = 0; i < attachments.Count; i++)
        {
            var a = attachments[i];
            if (a.Kind == ClawScale.Protos.V1.AttachmentKind.Unspecified || !Enum.IsDefined(a.Kind))
                throw GrpcErrors.InvalidArgument($"{field}[{i}].kind", "must be IMAGE, DOCUMENT, AUDIO or VIDEO.");
            if (a.Url.Length == 0 && a.ProviderFileId.Length == 0 && a.Data.IsEmpty)
                throw GrpcErrors.InvalidArgument($"{field}[{i}]", "needs url, provider_file_id or data.");
            if (a.Data.Length > MaxInlineBytes)
                throw GrpcErrors.InvalidArgument($"{field}[{i}].data", $"must be at most {MaxInlineBytes} bytes; send larger files by url.");
            result.Add(a.FromProto());
        }

        return result;
    }
}
