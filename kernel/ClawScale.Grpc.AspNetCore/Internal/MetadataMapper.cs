using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>Converts between HTTP/2 headers and <see cref="Metadata"/> (binary <c>-bin</c> values in base64).</summary>
internal static class MetadataMapper
{
    public static Metadata FromHeaders(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var header in headers)
        {
            if (GrpcProtocol.IsReservedHeader(header.Key))
            {
                continue;
            }

            if (header.Key.EndsWith(Metadata.BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase))
            {
                foreach (var value in header.Value)
                {
                    foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        metadata.Add(header.Key, DecodeBase64(part));
                    }
                }
            }
            else
            {
                foreach (var value in header.Value)
                {
                    metadata.Add(header.Key, value ?? "");
                }
            }
        }

        return metadata;
    }

    public static void AppendTo(Metadata metadata, IHeaderDictionary headers)
    {
        foreach (var entry in metadata)
        {
            headers.Append(entry.Key, ToHeaderValue(entry));
        }
    }

    public static string ToHeaderValue(Metadata.Entry entry) => entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes) : entry.Value;

    /// <summary>Decodes base64 with or without padding (the spec allows both).</summary>
    public static byte[] DecodeBase64(string value)
    {
        var padding = (4 - (value.Length % 4)) % 4;
        if (padding is 1 or 2)
        {
            value += new string('=', padding);
        }

        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Invalid base64 in a binary (-bin) metadata value.", ex));
        }
    }
}
