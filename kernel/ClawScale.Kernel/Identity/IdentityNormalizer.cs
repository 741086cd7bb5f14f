using System.Text;
using ClawScale.Kernel.Grpc;

namespace ClawScale.Kernel.Identity;

/// <summary>
/// Normalizes external identities so that one platform user always maps to one row: provider and identity_type are
/// trimmed and lower-cased; values are trimmed, and lower-cased for <c>email</c> and <c>username</c> (without a
/// leading <c>@</c>), reduced to <c>+</c> and digits for <c>phone</c> (E.164 form).
/// </summary>
internal static class IdentityNormalizer
{
    public const int MaxValueLength = 512;

    /// <summary>Returns the normalized triple; INVALID_ARGUMENT naming the field when a part is empty or too long.</summary>
    public static (string Provider, string IdentityType, string Value) Normalize(string? provider, string? identityType, string? value, string fieldPrefix)
    {
        var p = RequestValidation.Required(provider, $"{fieldPrefix}.provider", 64).ToLowerInvariant();
        var t = RequestValidation.Required(identityType, $"{fieldPrefix}.identity_type", 64).ToLowerInvariant();
        var v = RequestValidation.Required(value, $"{fieldPrefix}.value", MaxValueLength);
        v = t switch
        {
            "email" => v.ToLowerInvariant(),
            "username" => v.TrimStart('@').ToLowerInvariant(),
            "phone" => NormalizePhone(v, $"{fieldPrefix}.value"),
            _ => v,
        };
        if (v.Length == 0) throw GrpcErrors.InvalidArgument($"{fieldPrefix}.value", "is empty after normalization.");
        return (p, t, v);
    }

    private static string NormalizePhone(string value, string field)
    {
        var sb = new StringBuilder(value.Length);
        if (value.StartsWith('+')) sb.Append('+');
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c)) sb.Append(c);
            else if (c is not (' ' or '-' or '(' or ')' or '.' or '+'))
                throw GrpcErrors.InvalidArgument(field, $"phone numbers may contain only digits, spaces, '-', '.', '(' and ')' and a leading '+' (got '{value}').");
        }

        return sb.ToString();
    }
}
