using System.Text;

namespace ClawScale.Kernel.Grpc;

/// <summary>
/// Keyset pagination over time-ordered ids (UUIDv7): the page token is the opaque, base64url-encoded last id of the
/// previous page. page_size defaults to 50 and is capped at 500.
/// </summary>
internal static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static int Size(int requested, string field = "page_size") => requested switch
    {
        < 0 => throw GrpcErrors.InvalidArgument(field, "must not be negative."),
        0 => DefaultPageSize,
        > MaxPageSize => MaxPageSize,
        _ => requested,
    };

    /// <summary>The id after which the page starts, or null for the first page.</summary>
    public static string? After(string? token, string field = "page_token")
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return text.StartsWith("v1:", StringComparison.Ordinal) && text.Length > 3
                ? text[3..]
                : throw GrpcErrors.InvalidArgument(field, "is not a token returned by this API; pass next_page_token unchanged.");
        }
        catch (FormatException)
        {
            throw GrpcErrors.InvalidArgument(field, "is not a token returned by this API; pass next_page_token unchanged.");
        }
    }

    /// <summary>The next page token given <paramref name="items"/> fetched with size + 1, trimming the extra row.</summary>
    public static string Next<T>(List<T> items, int size, Func<T, string> id)
    {
        if (items.Count <= size) return string.Empty;
        items.RemoveRange(size, items.Count - size);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes("v1:" + id(items[^1]))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
