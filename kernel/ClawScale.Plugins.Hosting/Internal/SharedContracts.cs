using System.Reflection;
using System.Runtime.Loader;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>
/// The contract assemblies a plugin must share with the host, handed to McMaster.NETCore.Plugins as its shared types
/// and shared assemblies: the plugin SDK (ClawScale.Plugins.Abstractions) and every <c>Microsoft.Extensions.*.Abstractions</c>
/// assembly the host can load. McMaster resolves these (and, eagerly, everything they reference) from the default load
/// context, so an <see cref="IChannelAdapter"/> created by a plugin is the host's <see cref="IChannelAdapter"/>.
/// Everything else a plugin ships stays private to its load context, in whatever version it ships.
/// </summary>
internal static class SharedContracts
{
    private const string SdkAssemblyName = "ClawScale.Plugins.Abstractions";

    /// <summary>Types whose assemblies are shared: the SDK (its references follow, McMaster walks them).</summary>
    public static readonly Type[] Types = [typeof(IChannelAdapterFactory), typeof(IAgentBackendFactory)];

    private static readonly Lazy<AssemblyName[]> HostAbstractions = new(FindHostAbstractions);

    /// <summary>The host's <c>Microsoft.Extensions.*.Abstractions</c> assemblies (trusted platform assemblies and those loaded in the default context).</summary>
    public static IReadOnlyList<AssemblyName> HostAbstractionAssemblies => HostAbstractions.Value;

    /// <summary>Whether an assembly of this simple name must never be loaded privately by a plugin.</summary>
    public static bool MustBeShared(string? simpleName) =>
        simpleName is not null
        && (string.Equals(simpleName, SdkAssemblyName, StringComparison.OrdinalIgnoreCase) || IsAbstractions(simpleName));

    private static bool IsAbstractions(string simpleName) =>
        simpleName.StartsWith("Microsoft.Extensions.", StringComparison.OrdinalIgnoreCase)
        && simpleName.EndsWith(".Abstractions", StringComparison.OrdinalIgnoreCase);

    private static AssemblyName[] FindHostAbstractions()
    {
        var names = new Dictionary<string, AssemblyName>(StringComparer.OrdinalIgnoreCase);
        foreach (var assembly in AssemblyLoadContext.Default.Assemblies)
        {
            var name = assembly.GetName();
            if (name.Name is { } simple && IsAbstractions(simple))
            {
                names.TryAdd(simple, name);
            }
        }

        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
        {
            foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var simple = Path.GetFileNameWithoutExtension(path);
                if (IsAbstractions(simple))
                {
                    names.TryAdd(simple, new AssemblyName(simple));
                }
            }
        }

        return [.. names.Values.OrderBy(n => n.Name, StringComparer.Ordinal)];
    }
}
