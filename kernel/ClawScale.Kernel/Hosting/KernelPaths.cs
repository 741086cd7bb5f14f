using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Hosting;

/// <summary>
/// Absolute paths derived from <see cref="ClawScaleOptions"/>; creates the data directory on first use. On Unix the
/// directories the kernel creates are 0700 and the SQLite file 0600 (<see cref="EnsurePrivateFiles"/>): they hold the
/// database, the key ring that encrypts credentials and the first admin key. Existing folders keep their mode.
/// </summary>
internal sealed class KernelPaths(IOptions<ClawScaleOptions> options)
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly ClawScaleOptions _options = options.Value;

    public string DataDirectory
    {
        get
        {
            var path = Path.GetFullPath(_options.DataDirectory);
            CreatePrivateDirectory(path);
            return path;
        }
    }

    public string KeysDirectory => Path.GetFullPath(_options.KeysDirectory ?? Path.Combine(DataDirectory, "keys"));

    public string SqlitePath => Path.Combine(DataDirectory, _options.Database.SqliteFileName);

    public string AdminKeyFile => Path.Combine(DataDirectory, _options.Bootstrap.AdminKeyFile);

    public string PluginsDirectory => Path.Combine(DataDirectory, "plugins");

    /// <summary>
    /// Creates the data and key-ring folders (0700 on Unix) and, when SQLite is used, its database file (0600; SQLite
    /// gives its -wal and -shm files the database file's mode) before anything else opens them.
    /// </summary>
    public void EnsurePrivateFiles()
    {
        _ = DataDirectory;
        CreatePrivateDirectory(KeysDirectory);
        if (!string.IsNullOrWhiteSpace(_options.Database.ConnectionString) || File.Exists(SqlitePath)) return;
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = OwnerOnlyFile;
        try
        {
            using var _ = new FileStream(SqlitePath, create);
        }
        catch (IOException) when (File.Exists(SqlitePath))
        {
            // Created meanwhile (another process): its mode stays as it is.
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (Directory.Exists(path)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, OwnerOnlyDirectory);
    }
}
