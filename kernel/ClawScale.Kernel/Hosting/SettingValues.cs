using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using ClawScale.Kernel.Pipeline;

namespace ClawScale.Kernel.Hosting;

/// <summary>
/// The settings under <c>ClawScale</c> as the option records see them: which keys each record binds, which values do
/// not convert to their option's type (<c>ClawScale:Pipeline:DeliveryMaxAttempts=abc</c>, a bool set to
/// <c>maybe</c>, a malformed TimeSpan), and binding that leaves such values out instead of throwing.
/// </summary>
/// <remarks>
/// <c>ConfigurationBinder</c> throws <see cref="InvalidOperationException"/> at the first value it cannot convert,
/// which hides every other error and ends start-up with a stack trace. Here a value converts exactly when the binder
/// would convert it: the type's <see cref="TypeConverter"/> from the invariant string, an empty string being
/// <see langword="null"/> for a nullable type. A value that does not convert keeps the option's default while binding,
/// and <see cref="ConversionErrors"/> reports it (through <see cref="SettingValueValidator"/>, with the range errors of
/// the validators), so every problem is listed at once.
/// </remarks>
internal static class SettingValues
{
    /// <summary>
    /// The public settable properties <paramref name="type"/> binds, by name (case-insensitive, as the binder matches
    /// keys). <see cref="ClawScaleOptions"/> also owns <c>Pipeline</c>, bound by <see cref="PipelineOptions"/>.
    /// </summary>
    public static Dictionary<string, Type> Properties(Type type)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => p.Name, p => p.PropertyType, StringComparer.OrdinalIgnoreCase);
        if (type == typeof(ClawScaleOptions)) properties["Pipeline"] = typeof(PipelineOptions);
        return properties;
    }

    /// <summary>Whether <paramref name="type"/> is one of the kernel's nested option records (a section, not a value).</summary>
    public static bool IsSection(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsClass && t != typeof(string) && t.Namespace?.StartsWith("ClawScale.", StringComparison.Ordinal) == true;
    }

    /// <summary>
    /// One message per setting under <c>ClawScale</c> whose value does not convert to its option's type, in
    /// configuration order, each naming the key, the value, what is expected and the default, for example
    /// <c>ClawScale:Pipeline:DeliveryMaxAttempts 'abc' is not a whole number (default 8).</c>
    /// </summary>
    public static IReadOnlyList<string> ConversionErrors(IConfiguration configuration) =>
        Unconvertible(configuration.GetSection(ClawScaleOptions.SectionName), typeof(ClawScaleOptions)).Select(u => u.Message).ToList();

    /// <summary>
    /// Binds <paramref name="section"/> into <paramref name="instance"/> (of an option record) like
    /// <c>ConfigurationBinder.Bind</c>, except that values that do not convert are left out: their options keep their
    /// defaults (<see cref="ConversionErrors"/> reports them).
    /// </summary>
    public static void BindInto(IConfigurationSection section, object instance)
    {
        var bad = Unconvertible(section, instance.GetType()).Select(u => u.Path).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (bad.Count == 0)
        {
            section.Bind(instance);
            return;
        }

        // The binder has no "skip what does not convert": bind a copy of the section without those values.
        var prefix = section.Path + ConfigurationPath.KeyDelimiter;
        var values = section.AsEnumerable()
            .Where(kv => kv.Value is not null && kv.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !bad.Contains(kv.Key))
            .Select(kv => new KeyValuePair<string, string?>(kv.Key[prefix.Length..], kv.Value));
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().Bind(instance);
    }

    /// <summary>A new <typeparamref name="T"/> bound from <paramref name="section"/> by <see cref="BindInto"/>.</summary>
    public static T Bind<T>(IConfigurationSection section)
        where T : new()
    {
        var options = new T();
        BindInto(section, options);
        return options;
    }

    private static IEnumerable<(string Path, string Message)> Unconvertible(IConfigurationSection section, Type type)
    {
        var properties = Properties(type);
        object? defaults = null;
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var propertyType)) continue; // unknown keys are warned about at start
            if (IsSection(propertyType))
            {
                foreach (var nested in Unconvertible(child, Nullable.GetUnderlyingType(propertyType) ?? propertyType)) yield return nested;
                continue;
            }

            if (child.Value is null || Converts(propertyType, child.Value)) continue;
            defaults ??= Activator.CreateInstance(type);
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            var fallback = property is null || defaults is null ? null : Format(property.GetValue(defaults));
            yield return (child.Path, $"{child.Path} '{child.Value}' is not {Expected(propertyType)}{(fallback is null ? "" : $" (default {fallback})")}.");
        }
    }

    /// <summary>Whether the binder converts <paramref name="value"/> to <paramref name="type"/>.</summary>
    private static bool Converts(Type type, string value)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null && value.Length == 0) return true;
        var target = underlying ?? type;
        if (target == typeof(string) || target == typeof(object)) return true;
        var converter = TypeDescriptor.GetConverter(target);
        if (!converter.CanConvertFrom(typeof(string))) return true; // not a value the binder converts; nothing to report
        try
        {
            converter.ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return false;
        }
    }

    private static string Expected(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(int) || t == typeof(long) || t == typeof(short)) return "a whole number";
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return "a number (with '.' as the decimal point)";
        if (t == typeof(bool)) return "true or false";
        if (t == typeof(TimeSpan)) return "a duration [d.]hh:mm:ss[.fff] such as 00:00:30";
        if (t.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(t));
        return "a valid " + t.Name;
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
