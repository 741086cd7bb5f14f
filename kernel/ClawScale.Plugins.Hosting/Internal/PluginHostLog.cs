using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>
/// The plugin host's log messages. Event ids are stable (4100-4199); add new ones, never renumber. Plugin names and
/// load errors come from folder names, manifests and plugin code: they are logged as <see cref="SafeLogString"/>.
/// </summary>
internal static partial class PluginHostLog
{
    [LoggerMessage(EventId = 4100, EventName = "PluginLoaded", Level = LogLevel.Information,
        Message = "Plugin {PluginName} {Version} loaded from {SourcePath} (channel kinds: [{ChannelKinds}], agent kinds: [{AgentKinds}]).")]
    public static partial void PluginLoaded(ILogger logger, SafeLogString pluginName, string? version, string sourcePath, string channelKinds, string agentKinds);

    [LoggerMessage(EventId = 4101, EventName = "PluginFailed", Level = LogLevel.Error,
        Message = "Plugin {PluginName} failed to load from {SourcePath}: {Error}")]
    public static partial void PluginFailed(ILogger logger, SafeLogString pluginName, string sourcePath, SafeLogString error, Exception? exception);

    [LoggerMessage(EventId = 4102, EventName = "PluginRetired", Level = LogLevel.Information,
        Message = "Plugin {PluginName} (generation {LoadGeneration}) retired; its load context is being unloaded.")]
    public static partial void PluginRetired(ILogger logger, SafeLogString pluginName, long loadGeneration);

    [LoggerMessage(EventId = 4103, EventName = "ManifestRejected", Level = LogLevel.Error,
        Message = "plugins.json at {ManifestPath} is invalid; the last good set of plugins (generation {Generation}) is kept. Errors: {Errors}")]
    public static partial void ManifestRejected(ILogger logger, string manifestPath, long generation, string errors);

    [LoggerMessage(EventId = 4104, EventName = "ManifestMissing", Level = LogLevel.Information,
        Message = "No plugins.json at {ManifestPath}; only the plugins directory {PluginsDirectory} is used.")]
    public static partial void ManifestMissing(ILogger logger, string manifestPath, string pluginsDirectory);

    [LoggerMessage(EventId = 4105, EventName = "ReloadApplied", Level = LogLevel.Information,
        Message = "Plugin catalog generation {Generation}: {Loaded} loaded, {Failed} failed, {Disabled} disabled, {Retired} retired.")]
    public static partial void ReloadApplied(ILogger logger, long generation, int loaded, int failed, int disabled, int retired);

    [LoggerMessage(EventId = 4106, EventName = "ChangeCallbackFailed", Level = LogLevel.Error,
        Message = "A plugin catalog change callback threw while applying generation {Generation}; the retired plugins are unloaded anyway.")]
    public static partial void ChangeCallbackFailed(ILogger logger, long generation, Exception exception);

    [LoggerMessage(EventId = 4107, EventName = "WatchStarted", Level = LogLevel.Debug,
        Message = "Watching {Path} for plugin changes.")]
    public static partial void WatchStarted(ILogger logger, string path);

    [LoggerMessage(EventId = 4108, EventName = "WatchFailed", Level = LogLevel.Warning,
        Message = "Cannot watch {Path} for plugin changes; changes there need an explicit reload.")]
    public static partial void WatchFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 4109, EventName = "ChangeDetected", Level = LogLevel.Debug,
        Message = "Plugin file change detected at {Path}; reloading after the debounce delay.")]
    public static partial void ChangeDetected(ILogger logger, string path);

    [LoggerMessage(EventId = 4110, EventName = "WatchReloadFailed", Level = LogLevel.Error,
        Message = "A reload triggered by a file change failed unexpectedly; the current plugins are kept.")]
    public static partial void WatchReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4111, EventName = "PluginsDirectoryUnavailable", Level = LogLevel.Warning,
        Message = "The plugins directory {PluginsDirectory} cannot be created or read; no drop-in plugins are loaded. Create it or fix PluginHostOptions.PluginsDirectory.")]
    public static partial void PluginsDirectoryUnavailable(ILogger logger, string pluginsDirectory, Exception exception);

    [LoggerMessage(EventId = 4112, EventName = "PluginCallFailed", Level = LogLevel.Warning,
        Message = "Plugin {PluginName} failed in {Operation}: {Failure}.")]
    public static partial void PluginCallFailed(ILogger logger, SafeLogString pluginName, string operation, PluginCallFailure failure, Exception? exception);

    [LoggerMessage(EventId = 4113, EventName = "AbandonedCallFaulted", Level = LogLevel.Debug,
        Message = "Plugin {PluginName} {Operation}, abandoned after its timeout, later threw.")]
    public static partial void AbandonedCallFaulted(ILogger logger, SafeLogString pluginName, string operation, Exception exception);

    [LoggerMessage(EventId = 4114, EventName = "FactorySkipped", Level = LogLevel.Warning,
        Message = "Plugin {PluginName}: type {TypeName} implements a factory interface but has no public parameterless constructor; it is ignored.")]
    public static partial void FactorySkipped(ILogger logger, SafeLogString pluginName, string typeName);

    [LoggerMessage(EventId = 4115, EventName = "ShadowCleanupFailed", Level = LogLevel.Debug,
        Message = "Could not delete the shadow copy {Path} yet; it is retried later.")]
    public static partial void ShadowCleanupFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 4116, EventName = "ShadowBaseUnusable", Level = LogLevel.Warning,
        Message = "The plugin shadow-copy folder {Path} cannot be prepared ({Reason}); plugins cannot load until it is writable by the kernel's user. Set PluginHostOptions.ShadowCopyDirectory (kernel: the data directory's plugin-cache) to a folder this user owns.")]
    public static partial void ShadowBaseUnusable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4117, EventName = "ShadowBaseShared", Level = LogLevel.Warning,
        Message = "The plugin shadow-copy folder {Path} is writable by other users, who could replace plugin assemblies before they load; make it owner-only (chmod 700).")]
    public static partial void ShadowBaseShared(ILogger logger, string path);
}
