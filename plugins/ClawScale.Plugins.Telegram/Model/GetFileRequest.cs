namespace ClawScale.Plugins.Telegram.Model;

/// <summary>The body of getFile (Bot API "getFile").</summary>
public sealed record GetFileRequest
{
    /// <summary>The file to prepare for download ("file_id").</summary>
    public required string FileId { get; init; }
}
