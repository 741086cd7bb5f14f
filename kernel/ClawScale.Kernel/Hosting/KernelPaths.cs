using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Hosting;

/// <summary>Absolute paths derived from <see cref="ClawScaleOptions"/>; creates the data directory on first use.</summary>
internal sealed class KernelPaths(IOptions<ClawScaleOptions> options)
{
    private readonly ClawScaleOptions _options = options.Value;

    public string DataDirectory
    {
        get
        {
            var path = Path.GetFullPath(_options.DataDirectory);
            Directory.CreateDirectory(path);
            return path;
        }
    }

    public string KeysDirectory => Path.GetFullPath(_options.KeysDirectory ?? Path.Combine(DataDirectory, "keys"));

    public string SqlitePath => Path.Combine(DataDirectory, _options.Database.SqliteFileName);

    public string AdminKeyFile => Path.Combine(DataDirectory, _options.Bootstrap.AdminKeyFile);

    public string PluginsDirectory => Path.Combine(DataDirectory, "plugins");
}
