using ClawScale.Kernel.Hosting;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Security;

/// <summary>
/// First start: creates a platform-admin API key when none exists and writes its secret to
/// <c>{DataDirectory}/{Bootstrap:AdminKeyFile}</c> (mode 0600), logging where to read it. When
/// <c>ClawScale:Bootstrap:AdminApiKey</c> is configured, makes sure that exact key exists instead.
/// </summary>
internal sealed partial class AdminKeyBootstrapper(
    ClawScaleDbContext db,
    ISecretGenerator secrets,
    KernelPaths paths,
    IOptions<ClawScaleOptions> options,
    TimeProvider time,
    ILogger<AdminKeyBootstrapper> logger)
{
    public async Task EnsureAdminKeyAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (options.Value.Bootstrap.AdminApiKey is { } configured)
        {
            var hash = ApiKeySecrets.Hash(configured);
            if (!await db.ApiKeys.AnyAsync(k => k.SecretHash == hash, cancellationToken))
            {
                db.ApiKeys.Add(NewKey("bootstrap (configured)", configured, now));
                await db.SaveChangesAsync(cancellationToken);
                LogConfiguredKeyCreated(logger);
            }

            return;
        }

        var anyAdmin = await db.ApiKeys.AnyAsync(k => k.Scope == ApiKeyScopeValue.PlatformAdmin && k.RevokedAt == null, cancellationToken);
        if (anyAdmin)
        {
            if (File.Exists(paths.AdminKeyFile)) LogKeyFileHint(logger, paths.AdminKeyFile);
            return;
        }

        var secret = ApiKeySecrets.NewSecret(secrets);
        db.ApiKeys.Add(NewKey("bootstrap", secret, now));
        await db.SaveChangesAsync(cancellationToken);
        await WriteKeyFileAsync(paths.AdminKeyFile, secret, cancellationToken);
        LogKeyCreated(logger, paths.AdminKeyFile);
    }

    private static ApiKeyEntity NewKey(string name, string secret, DateTime now) => new()
    {
        Id = Guid.CreateVersion7().ToString(),
        Name = name,
        Scope = ApiKeyScopeValue.PlatformAdmin,
        Prefix = ApiKeySecrets.DisplayPrefix(secret),
        SecretHash = ApiKeySecrets.Hash(secret),
        CreatedAt = now,
    };

    private static async Task WriteKeyFileAsync(string path, string secret, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(secret.AsMemory(), cancellationToken);
        await writer.WriteLineAsync();
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Created the first platform-admin API key. Read it with: cat {Path}  (send it as 'authorization: Bearer <key>'; store it safely and delete the file)")]
    private static partial void LogKeyCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Platform-admin API key file: {Path}")]
    private static partial void LogKeyFileHint(ILogger logger, string path);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Created the platform-admin API key given in ClawScale:Bootstrap:AdminApiKey")]
    private static partial void LogConfiguredKeyCreated(ILogger logger);
}
