namespace ClawScale.Plugins.Messages;

/// <summary>What an attachment holds. Mirrors <c>clawscale.v1.AttachmentKind</c>.</summary>
public enum AttachmentKind
{
    /// <summary>A picture (JPEG, PNG, WebP, …).</summary>
    Image = 1,

    /// <summary>Any other file.</summary>
    Document = 2,

    /// <summary>Voice or music.</summary>
    Audio = 3,

    /// <summary>A video clip.</summary>
    Video = 4,
}
