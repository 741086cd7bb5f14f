using System.Globalization;

namespace ClawScale.Grpc;

/// <summary>
/// Parses and formats the <c>grpc-timeout</c> header: at most 8 ASCII digits followed by a unit
/// (H hours, M minutes, S seconds, m milliseconds, u microseconds, n nanoseconds), per the gRPC over HTTP/2 spec.
/// </summary>
public static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    /// <summary>Parses a <c>grpc-timeout</c> value.</summary>
    /// <param name="value">The header value, e.g. <c>250m</c>.</param>
    /// <param name="timeout">The timeout; values too large for <see cref="TimeSpan"/> become <see cref="TimeSpan.MaxValue"/>.</param>
    /// <returns><c>false</c> when the value is malformed.</returns>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        if (!long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        double ticks;
        switch (value[^1])
        {
            case 'H': ticks = amount * (double)TimeSpan.TicksPerHour; break;
            case 'M': ticks = amount * (double)TimeSpan.TicksPerMinute; break;
            case 'S': ticks = amount * (double)TimeSpan.TicksPerSecond; break;
            case 'm': ticks = amount * (double)TimeSpan.TicksPerMillisecond; break;
            case 'u': ticks = amount * (double)TimeSpan.TicksPerMicrosecond; break;
            case 'n': ticks = Math.Ceiling(amount / 100.0); break;
            default: return false;
        }

        timeout = ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>Formats a timeout with the finest unit that fits in 8 digits (rounding up, never to zero).</summary>
    /// <param name="timeout">The timeout; negative values are sent as <c>1n</c> (already expired).</param>
    public static string Format(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return "1n";
        }

        var ticks = timeout.Ticks;
        // ticks are 100ns; try nanoseconds, then coarser units, rounding up.
        if (ticks <= MaxValue / 100)
        {
            return (ticks * 100).ToString(CultureInfo.InvariantCulture) + "n";
        }

        ReadOnlySpan<(long TicksPerUnit, char Unit)> units =
        [
            (TimeSpan.TicksPerMicrosecond, 'u'),
            (TimeSpan.TicksPerMillisecond, 'm'),
            (TimeSpan.TicksPerSecond, 'S'),
            (TimeSpan.TicksPerMinute, 'M'),
            (TimeSpan.TicksPerHour, 'H'),
        ];
        foreach (var (perUnit, unit) in units)
        {
            var amount = (ticks + perUnit - 1) / perUnit;
            if (amount <= MaxValue)
            {
                return amount.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
