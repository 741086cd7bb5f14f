using Microsoft.Extensions.Options;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>Validates <see cref="PluginHostOptions"/> at start, reporting every error at once.</summary>
internal sealed class PluginHostOptionsValidator : IValidateOptions<PluginHostOptions>
{
    public ValidateOptionsResult Validate(string? name, PluginHostOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ManifestPath))
        {
            errors.Add("PluginHostOptions.ManifestPath must be a file path, for example \"plugins.json\".");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("PluginHostOptions.DataDirectory must be a directory path, for example \"data\".");
        }

        if (string.IsNullOrWhiteSpace(options.PluginsDirectory))
        {
            errors.Add("PluginHostOptions.PluginsDirectory must be a directory path, for example \"plugins\".");
        }

        if (options.ReloadDebounce < TimeSpan.Zero || options.ReloadDebounce > TimeSpan.FromMinutes(1))
        {
            errors.Add($"PluginHostOptions.ReloadDebounce is {options.ReloadDebounce}; it must be between 0 and 1 minute (default 500 ms).");
        }

        if (options.CallTimeout <= TimeSpan.Zero && options.CallTimeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"PluginHostOptions.CallTimeout is {options.CallTimeout}; it must be positive (default 30 s) or Timeout.InfiniteTimeSpan.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
