using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Channels;
using Microsoft.Extensions.Logging;
using McMasterPluginLoader = McMaster.NETCore.Plugins.PluginLoader;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>
/// Loads one plugin folder into its own collectible load context, built by McMaster.NETCore.Plugins
/// (<see cref="McMasterPluginLoader.CreateFromAssemblyFile(string, bool, Type[], Action{McMaster.NETCore.Plugins.PluginConfig})"/>):
/// the plugin's managed and native dependencies resolve from its <c>*.deps.json</c> (native ones such as
/// <c>runtimes/linux-x64/native/libsodium.so</c> inside the plugin's context), the contracts of
/// <see cref="SharedContracts"/> from the host. What stays ours: finding the main assembly, the whole-folder shadow copy,
/// factory discovery and the error texts a user can act on. Never throws for plugin problems: they become a failed
/// <see cref="PluginInfo"/> whose error says what to do.
/// </summary>
/// <remarks>
/// Shadow copy: the folder is copied (to a fresh folder per load) and McMaster loads from the copy, so the original can
/// be rebuilt, replaced or deleted while loaded (needed on Windows, where loaded files are locked; harmless on Linux).
/// McMaster's own <c>LoadInMemory</c> is not used: it reads assemblies into memory (so <c>Assembly.Location</c> is
/// empty for the plugin), copies native libraries to a temp folder of its own choosing, and leaves content files and
/// satellite assemblies to be read from the live folder while a build may be rewriting it. A copy of the whole folder,
/// taken once per load, gives the plugin one consistent build, with real paths.
/// <c>PreferSharedTypes</c> is off on purpose: with it McMaster asks the default context first for every assembly, and
/// a plugin shipping its own version of a library the host also has gets the host's copy instead, older or newer
/// (measured: a plugin shipping VersionedDep 2.0.0.0 or 0.5.0.0 got the host's 1.0.0.0; see the tests
/// <c>A_plugin_with_a_private_dependency_in_another_version_than_the_hosts_loads_its_own_copy</c> and
/// <c>A_private_dependency_older_than_the_hosts_copy_loads_side_by_side_too</c>), to fail later with
/// <see cref="MissingMethodException"/>. The shared set is explicit instead (<see cref="SharedContracts"/>); the rest of
/// the framework resolves from the host because a framework-dependent plugin's deps.json does not ship it.
/// </remarks>
internal sealed class PluginFolderLoader
{
    private readonly string _shadowRoot;
    private readonly ILogger _logger;
    private long _loadCounter;

    public PluginFolderLoader(string shadowRoot, ILogger logger)
    {
        _shadowRoot = shadowRoot;
        _logger = logger;
    }

    /// <summary>
    /// Creates the shadow-copy base folder (the parent of this host's <c>&lt;process id&gt;-&lt;guid&gt;</c> folder) owner-only
    /// (0700 on Unix) when missing, then deletes the sibling folders left by processes that no longer run, and by
    /// earlier runs that had this process's id (a restarted container's kernel usually gets the same id). Folders
    /// that are not named <c>&lt;process id&gt;-&lt;guid&gt;</c> are left alone. Failures are logged at Debug: a folder
    /// still in use (another live kernel's) is simply kept.
    /// </summary>
    public void PrepareShadowBase()
    {
        var shadowBase = Path.GetDirectoryName(_shadowRoot);
        if (shadowBase is null) return;
        try
        {
            PrepareShadowBase(shadowBase);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Each plugin's load then fails with "could not copy the plugin folder", naming the folder.
            PluginHostLog.ShadowBaseUnusable(_logger, shadowBase, ex.Message);
        }
    }

    private void PrepareShadowBase(string shadowBase)
    {
        const UnixFileMode GroupOrOthersWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        if (!Directory.Exists(shadowBase))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(shadowBase);
            else Directory.CreateDirectory(shadowBase, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        else if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(shadowBase) & GroupOrOthersWrite) != 0)
        {
            PluginHostLog.ShadowBaseShared(_logger, shadowBase);
        }

        var current = Environment.ProcessId;
        var own = Path.GetFileName(_shadowRoot);
        foreach (var folder in Directory.EnumerateDirectories(shadowBase))
        {
            var name = Path.GetFileName(folder);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || name == own
                || !int.TryParse(name.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                || !Guid.TryParseExact(name.AsSpan(dash + 1), "N", out _))
            {
                continue;
            }

            if (pid == current || !IsRunning(pid))
            {
                TryDelete(folder);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
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
        var channelFactories = new List<IChannelAdapterFactory>();
        var agentFactories = new List<IAgentBackendFactory>();
        McMasterPluginLoader? loader = null;
        string? version;
        try
        {
            loader = McMasterPluginLoader.CreateFromAssemblyFile(shadowMain, isUnloadable: true, SharedContracts.Types, config =>
            {
                // Explicit shared set, no PreferSharedTypes, no LoadInMemory, no EnableHotReload: see the remarks above
                // and PluginWatcher (reloads are the catalog's, driven by our watcher).
                foreach (var name in SharedContracts.HostAbstractionAssemblies)
                {
                    config.SharedAssemblies.Add(name);
                }
            });
            var assembly = loader.LoadDefaultAssembly();
            version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString();
            var error = Discover(source, assembly, channelFactories, agentFactories);
            error = CheckShared(loader, assembly) ?? error;
            if (error is not null)
            {
                return Abandon(loader, shadowFolder, Fail(source, mainAssembly, error, null));
            }
        }
        catch (Exception ex)
        {
            return Abandon(loader, shadowFolder, Fail(source, mainAssembly, Describe(ex, mainAssembly), ex));
        }

        var loaded = new LoadedPlugin
        {
            Source = source,
            Fingerprint = fingerprint,
            MainAssemblyPath = mainAssembly,
            ShadowFolder = shadowFolder,
            Loader = loader,
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

    /// <summary>
    /// Verifies that the plugin's context did not load its own copy of a contract assembly (McMaster falls back to the
    /// plugin's copy when the host cannot bind the version asked for, for example an SDK newer than the kernel's).
    /// </summary>
    private static string? CheckShared(McMasterPluginLoader loader, Assembly mainAssembly)
    {
        var own = loader.LoadContext.Assemblies
            .Where(a => a != mainAssembly && SharedContracts.MustBeShared(a.GetName().Name))
            .Select(a => a.GetName())
            .ToList();
        return own.Count == 0
            ? null
            : $"the plugin loaded its own copy of {string.Join(", ", own.Select(n => $"{n.Name} {n.Version}"))} instead of the host's, so its types are not the kernel's. "
                + "Build the plugin against this kernel's versions and reference ClawScale.Plugins.Abstractions (and Microsoft.Extensions.*.Abstractions) with Private=false and ExcludeAssets=runtime.";
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

    private PluginLoadOutcome Abandon(McMasterPluginLoader? loader, string shadowFolder, PluginLoadOutcome outcome)
    {
        loader?.Dispose();
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
