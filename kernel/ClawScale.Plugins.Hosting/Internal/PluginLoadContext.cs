using System.Reflection;
using System.Runtime.Loader;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>
/// One plugin's collectible load context: the plugin's own dependencies (managed and native) resolve from its
/// <c>*.deps.json</c> through <see cref="AssemblyDependencyResolver"/>; shared assemblies (see <see cref="SharedAssemblies"/>)
/// fall back to the default context, so the plugin's <see cref="ClawScale.Plugins.Channels.IChannelAdapter"/> is the host's.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public PluginLoadContext(string pluginName, string mainAssemblyPath)
        : base($"ClawScale.Plugin:{pluginName}", isCollectible: true)
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        if (SharedAssemblies.IsShared(assemblyName, path is not null))
        {
            return null;
        }

        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
