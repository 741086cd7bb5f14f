using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Channels;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>
/// Loads one plugin folder. Strategy: the folder is shadow-copied (to a fresh folder per load) and loaded from the copy
/// with <see cref="System.Runtime.Loader.AssemblyLoadContext.LoadFromAssemblyPath"/>, so the original can be rebuilt,
/// replaced or deleted while loaded (needed on Windows, where loaded files are locked; harmless on Linux), and native
/// libraries and satellite assemblies resolve from the copy through its deps.json like any app's. Never throws for
/// plugin problems: they become a failed <see cref="PluginInfo"/> whose error says what to do.
/// </summary>
internal sealed class PluginLoader
{
    private readonly string _shadowRoot;
    private readonly ILogger _logger;
    private long _loadCounter;

    public PluginLoader(string shadowRoot, ILogger logger)
    {
        _shadowRoot = shadowRoot;
        _logger = logger;
    }

    /// <summary>Finds the plugin's main assembly: the explicit name, <c>&lt;folder name&gt;.dll</c>, or the one <c>*.deps.json</c>'s assembly.</summary>
    public static string? FindMainAssembly(PluginSource source, out string? error)
    {
        error = null;
        if (!Directory.Exists(source.Folder))
        {
            error = $"the plugin folder {source.Folder} does not exist. Build the plugin (its output goes to artifacts/plugins/<Project>/), fix \"path\" in plugins.json, or disable the entry.";
            return null;
        }

        if (source.AssemblyFileName is not null)
        {
            var explicitPath = Path.Combine(source.Folder, source.AssemblyFileName);
            if (File.Exists(explicitPath))
            {
                return explicitPath;
            }

            error = $"the assembly {source.AssemblyFileName} named in plugins.json is not in {source.Folder}. Rebuild the plugin or fix \"assembly\".";
            return null;
        }

        var byFolderName = Path.Combine(source.Folder, Path.GetFileName(Path.TrimEndingDirectorySeparator(source.Folder)) + ".dll");
        if (File.Exists(byFolderName))
        {
            return byFolderName;
        }

        var depsFiles = Directory.GetFiles(source.Folder, "*.deps.json");
        if (depsFiles.Length == 1)
        {
            var candidate = depsFiles[0][..^".deps.json".Length] + ".dll";
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        error = depsFiles.Length > 1
            ? $"{source.Folder} holds several *.deps.json files, so its main assembly is ambiguous. Name it with \"assembly\" in plugins.json, or rename the folder after the plugin's assembly."
            : $"no main assembly found in {source.Folder}: expected {Path.GetFileName(byFolderName)} or a single *.deps.json next to its .dll. Build the plugin into this folder, or name the assembly with \"assembly\" in plugins.json.";
        return null;
    }

    /// <summary>A cheap content fingerprint of a folder (relative paths, sizes, write times) to tell whether it changed.</summary>
    public static string Fingerprint(PluginSource source)
    {
        try
        {
            var builder = new StringBuilder();
            builder.Append(source.AssemblyFileName).Append('\n');
            var files = Directory.GetFiles(source.Folder, "*", SearchOption.AllDirectories);
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                var info = new FileInfo(file);
                builder.Append(Path.GetRelativePath(source.Folder, file)).Append('|')
                    .Append(info.Length.ToString(CultureInfo.InvariantCulture)).Append('|')
                    .Append(info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Guid.NewGuid().ToString("N");
        }
    }

    public PluginLoadOutcome Load(PluginSource source, string fingerprint, long generation, DateTimeOffset now)
    {
        var mainAssembly = FindMainAssembly(source, out var findError);
        if (mainAssembly is null)
        {
            return Fail(source, source.Folder, findError!, null);
        }

        var shadowFolder = Path.Combine(_shadowRoot, $"{source.Name}-{generation}-{Interlocked.Increment(ref _loadCounter)}");
        try
        {
            CopyDirectory(source.Folder, shadowFolder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(shadowFolder);
            return Fail(source, mainAssembly, $"could not copy the plugin folder to {shadowFolder} ({ex.Message}). A build may still be writing it: the host retries on the next change (or call ReloadAsync).", ex);
        }

        var shadowMain = Path.Combine(shadowFolder, Path.GetRelativePath(source.Folder, mainAssembly));
        var context = new PluginLoadContext(source.Name, shadowMain);
        var channelFactories = new List<IChannelAdapterFactory>();
        var agentFactories = new List<IAgentBackendFactory>();
        string? version;
        try
        {
            var assembly = context.LoadFromAssemblyPath(shadowMain);
            version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString();
            var error = Discover(source, assembly, channelFactories, agentFactories);
            if (error is not null)
            {
                return Abandon(context, shadowFolder, Fail(source, mainAssembly, error, null));
            }
        }
        catch (Exception ex)
        {
            return Abandon(context, shadowFolder, Fail(source, mainAssembly, Describe(ex, mainAssembly), ex));
        }

        var loaded = new LoadedPlugin
        {
            Source = source,
            Fingerprint = fingerprint,
            MainAssemblyPath = mainAssembly,
            ShadowFolder = shadowFolder,
            Context = context,
            ChannelFactories = channelFactories,
            AgentFactories = agentFactories,
            Version = version,
            LoadedAt = now,
            LoadGeneration = generation,
        };
        return new PluginLoadOutcome(loaded, null);
    }

    /// <summary>Deletes a shadow copy; false when it is still in use (retried later).</summary>
    public bool TryDelete(string shadowFolder)
    {
        try
        {
            if (Directory.Exists(shadowFolder))
            {
                Directory.Delete(shadowFolder, recursive: true);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            PluginHostLog.ShadowCleanupFailed(_logger, shadowFolder, ex);
            return false;
        }
    }

    private string? Discover(PluginSource source, Assembly assembly, List<IChannelAdapterFactory> channels, List<IAgentBackendFactory> agents)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            var reasons = ex.LoaderExceptions.Where(e => e is not null).Select(e => e!.Message).Distinct(StringComparer.Ordinal).Take(3);
            return $"some types of {assembly.GetName().Name} could not be loaded: {string.Join(" | ", reasons)}. A dependency is missing or has the wrong version: build or publish the plugin so its folder holds every private dependency and its *.deps.json.";
        }

        foreach (var type in types)
        {
            if (!type.IsClass || type.IsAbstract || !type.IsPublic && !type.IsNestedPublic)
            {
                continue;
            }

            var isChannel = typeof(IChannelAdapterFactory).IsAssignableFrom(type);
            var isAgent = typeof(IAgentBackendFactory).IsAssignableFrom(type);
            if (!isChannel && !isAgent)
            {
                continue;
            }

            if (type.GetConstructor(Type.EmptyTypes) is null)
            {
                PluginHostLog.FactorySkipped(_logger, source.Name, type.FullName ?? type.Name);
                continue;
            }

            object instance;
            try
            {
                instance = Activator.CreateInstance(type)!;
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                PluginHostLog.PluginFailed(_logger, source.Name, assembly.Location, $"constructor of {type.FullName} threw", ex.InnerException);
                return $"the constructor of {type.FullName} threw {ex.InnerException.GetType().Name}: {ex.InnerException.Message}. Fix the plugin: factory constructors must not fail (do the work in Create).";
            }

            string kind;
            if (instance is IChannelAdapterFactory channel)
            {
                if (ReadKind(type, () => channel.Kind, out kind) is { } kindError)
                {
                    return kindError;
                }

                if (channels.Any(c => string.Equals(c.Kind, kind, StringComparison.OrdinalIgnoreCase)))
                {
                    return $"two channel factories of the plugin use the kind \"{kind}\"; kinds must be unique.";
                }

                channels.Add(channel);
            }

            if (instance is IAgentBackendFactory agent)
            {
                if (ReadKind(type, () => agent.Kind, out kind) is { } kindError)
                {
                    return kindError;
                }

                if (agents.Any(a => string.Equals(a.Kind, kind, StringComparison.OrdinalIgnoreCase)))
                {
                    return $"two agent factories of the plugin use the kind \"{kind}\"; kinds must be unique.";
                }

                agents.Add(agent);
            }
        }

        if (channels.Count == 0 && agents.Count == 0)
        {
            return $"{assembly.GetName().Name} has no public non-abstract class implementing IChannelAdapterFactory or IAgentBackendFactory with a public parameterless constructor. "
                + "Add one, and reference ClawScale.Plugins.Abstractions with Private=false and ExcludeAssets=runtime so the plugin uses the host's SDK.";
        }

        return null;
    }

    private static string? ReadKind(Type type, Func<string> read, out string kind)
    {
        try
        {
            kind = read();
        }
        catch (Exception ex)
        {
            kind = string.Empty;
            return $"{type.FullName}.Kind threw {ex.GetType().Name}: {ex.Message}. Kind must be a constant string.";
        }

        if (string.IsNullOrWhiteSpace(kind) || kind.Any(char.IsWhiteSpace))
        {
            return $"{type.FullName}.Kind is \"{kind}\"; it must be a non-empty lower-case name without spaces, for example \"telegram\".";
        }

        return null;
    }

    private static string Describe(Exception ex, string mainAssembly) => ex switch
    {
        BadImageFormatException => $"{Path.GetFileName(mainAssembly)} is not a loadable .NET assembly ({ex.Message}). Rebuild the plugin for net10.0.",
        FileNotFoundException or FileLoadException =>
            $"a dependency could not be loaded: {ex.Message} Build or publish the plugin so that its folder holds its *.deps.json and every private dependency, and reference ClawScale.Plugins.Abstractions with Private=false/ExcludeAssets=runtime.",
        TypeLoadException or MissingMethodException or MissingFieldException =>
            $"{ex.GetType().Name}: {ex.Message} The plugin was probably built against another version of the SDK or of a dependency: rebuild it against this kernel's ClawScale.Plugins.Abstractions.",
        _ => $"{ex.GetType().Name}: {ex.Message} Fix the plugin; the full exception is in the log (event PluginFailed).",
    };

    private PluginLoadOutcome Fail(PluginSource source, string sourcePath, string error, Exception? exception)
    {
        PluginHostLog.PluginFailed(_logger, source.Name, sourcePath, error, exception);
        return new PluginLoadOutcome(null, new PluginInfo
        {
            Name = source.Name,
            Origin = source.Origin,
            SourcePath = sourcePath,
            State = PluginState.Failed,
            Error = error,
        });
    }

    private PluginLoadOutcome Abandon(PluginLoadContext context, string shadowFolder, PluginLoadOutcome outcome)
    {
        context.Unload();
        TryDelete(shadowFolder);
        return outcome;
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)), overwrite: true);
        }
    }
}
