using System.Text.RegularExpressions;
using Google.Protobuf.Collections;

namespace ClawScale.Kernel.Grpc;

/// <summary>Field checks shared by the gRPC services; each failure is INVALID_ARGUMENT naming the field.</summary>
internal static partial class RequestValidation
{
    public const int MaxMapEntries = 64;
    public const int MaxMapKeyLength = 64;
    public const int MaxMapValueLength = 8192;

    public static string Required(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) throw GrpcErrors.InvalidArgument(field, "is required.");
        return Length(value.Trim(), field, maxLength);
    }

    public static string Length(string value, string field, int maxLength) =>
        value.Length <= maxLength ? value : throw GrpcErrors.InvalidArgument(field, $"must be at most {maxLength} characters (got {value.Length}).");

    public static string Id(string? value, string field) => Required(value, field, 64);

    public static string Slug(string? value, string field)
    {
        var slug = Required(value, field, 63);
        return SlugRegex().IsMatch(slug)
            ? slug
            : throw GrpcErrors.InvalidArgument(field, $"'{slug}' must be 3 to 63 characters of a-z, 0-9 and '-', starting with a letter.");
    }

    public static string Kind(string? value, string field)
    {
        var kind = Required(value, field, 64).ToLowerInvariant();
        return KindRegex().IsMatch(kind)
            ? kind
            : throw GrpcErrors.InvalidArgument(field, $"'{kind}' must be 1 to 64 characters of a-z, 0-9, '-' and '_'.");
    }

    public static void Map(MapField<string, string> map, string field)
    {
        if (map.Count > MaxMapEntries) throw GrpcErrors.InvalidArgument(field, $"has {map.Count} entries; at most {MaxMapEntries} are allowed.");
        foreach (var (key, value) in map)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > MaxMapKeyLength)
                throw GrpcErrors.InvalidArgument(field, $"keys must be 1 to {MaxMapKeyLength} characters (got '{key}').");
            if (value.Length > MaxMapValueLength)
                throw GrpcErrors.InvalidArgument($"{field}[{key}]", $"must be at most {MaxMapValueLength} characters.");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{2,62}$")]
    private static partial Regex SlugRegex();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex KindRegex();
}
