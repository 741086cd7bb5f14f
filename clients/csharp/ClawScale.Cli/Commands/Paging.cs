namespace ClawScale.Cli.Commands;

/// <summary>Prints the next page's token under a list, when there is one.</summary>
internal static class Paging
{
    public static void WriteNext(TextWriter writer, string? nextPageToken)
    {
        if (!string.IsNullOrEmpty(nextPageToken)) writer.WriteLine($"More: --page-token {nextPageToken}");
    }
}
