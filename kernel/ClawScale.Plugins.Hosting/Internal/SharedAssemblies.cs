using System.Reflection;
using System.Runtime.Loader;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>
/// Decides which assemblies a plugin shares with the host (resolved by the default load context) rather than
/// loading its own copy. Shared: the plugin SDK and <c>Microsoft.Extensions.*.Abstractions</c> (always, when the host
/// has them: types cross the boundary, so there must be one copy), and shared-framework assemblies (System.*, etc.)
/// unless the plugin needs a newer version than the host has.
/// </summary>
internal static class SharedAssemblies
{
    private const string SdkAssemblyName = "ClawScale.Plugins.Abstractions";

    private static readonly Lazy<Dictionary<string, string>> TrustedPlatformAssemblies = new(ReadTpa);

    private static readonly string SharedFrameworkRoot = ComputeSharedFrameworkRoot();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Version?> TpaVersions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="name"/> must come from the host (the default load context).</summary>
    public static bool IsShared(AssemblyName name, bool pluginHasOwnCopy)
    {
        var simple = name.Name;
        if (string.IsNullOrEmpty(simple))
        {
            return false;
        }

        if (string.Equals(simple, SdkAssemblyName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var hostHasIt = IsLoadedInDefault(simple) || TrustedPlatformAssemblies.Value.ContainsKey(simple);
        if (simple.StartsWith("Microsoft.Extensions.", StringComparison.OrdinalIgnoreCase)
            && simple.EndsWith(".Abstractions", StringComparison.OrdinalIgnoreCase))
        {
            return hostHasIt || !pluginHasOwnCopy;
        }

        if (!TrustedPlatformAssemblies.Value.TryGetValue(simple, out var tpaPath))
        {
            return false;
        }

        if (!IsFrameworkPath(tpaPath))
        {
            // A dependency of the host application itself: the plugin uses its own copy when it ships one.
            return !pluginHasOwnCopy;
        }

        if (!pluginHasOwnCopy || name.Version is null)
        {
            return true;
        }

        var hostVersion = TpaVersions.GetOrAdd(simple, static (_, path) => TryGetVersion(path), tpaPath);
        return hostVersion is null || hostVersion >= name.Version;
    }

    private static bool IsLoadedInDefault(string simpleName)
    {
        foreach (var assembly in AssemblyLoadContext.Default.Assemblies)
        {
            if (string.Equals(assembly.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFrameworkPath(string path) =>
        SharedFrameworkRoot.Length > 0 && path.StartsWith(SharedFrameworkRoot, StringComparison.Ordinal);

    private static Version? TryGetVersion(string path)
    {
        try
        {
            return AssemblyName.GetAssemblyName(path).Version;
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static Dictionary<string, string> ReadTpa()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
        {
            foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                map.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }
        }

        return map;
    }

    private static string ComputeSharedFrameworkRoot()
    {
        // .../dotnet/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll → .../dotnet/shared/
        var coreLibDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var root = coreLibDirectory is null ? null : Path.GetDirectoryName(Path.GetDirectoryName(coreLibDirectory));
        return string.IsNullOrEmpty(root) ? string.Empty : root + Path.DirectorySeparatorChar;
    }
}
