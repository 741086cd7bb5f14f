using System.Text;

namespace ClawScale.Grpc;

/// <summary>
/// Percent-encoding of <c>grpc-message</c>: UTF-8 bytes outside printable ASCII (0x20–0x7E) and '%' itself
/// become <c>%XX</c>, per the gRPC over HTTP/2 protocol spec.
/// </summary>
public static class GrpcPercentEncoding
{
    /// <summary>Encodes a status message for the <c>grpc-message</c> trailer.</summary>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var needs = false;
        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7E || c == '%')
            {
                needs = true;
                break;
            }
        }

        if (!needs)
        {
            return value;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        var sb = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            if (b < 0x20 || b > 0x7E || b == '%')
            {
                sb.Append('%').Append(((int)b).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }

        return sb.ToString();
    }

    /// <summary>Decodes a <c>grpc-message</c> value; malformed escapes are kept as they are.</summary>
    public static string Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                foreach (var b in Encoding.UTF8.GetBytes(value[i].ToString()))
                {
                    bytes.Add(b);
                }
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');
}
