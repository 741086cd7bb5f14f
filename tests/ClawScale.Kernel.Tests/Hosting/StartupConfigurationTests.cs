using ClawScale.Kernel.Hosting;
using ClawScale.Kernel.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Tests.Hosting;

/// <summary>
/// Start-up checks of the configuration through the real host: out-of-range Pipeline settings are listed with the
/// other errors, unknown ClawScale keys and a plaintext non-loopback listen address are warned about.
/// </summary>
public sealed class StartupConfigurationTests
{
    [Fact]
    public async Task Out_of_range_Pipeline_settings_fail_start_listed_with_the_other_errors()
    {
        var app = KernelApp.Create([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ClawScale:DataDirectory"] = Directory.CreateTempSubdirectory("clawscale-bad-").FullName,
            ["ClawScale:HttpPort"] = "70000",
            ["ClawScale:Pipeline:DeliveryMaxAttempts"] = "-1",
            ["ClawScale:Pipeline:PollInterval"] = "00:00:00",
            ["ClawScale:Pipeline:HistoryWindow"] = "-5",
            ["ClawScale:Pipeline:SendRatePerChannel"] = "0",
            ["ClawScale:Pipeline:RetryBaseDelay"] = "00:01:00",
            ["ClawScale:Pipeline:RetryMaxDelay"] = "00:00:01",
            ["ClawScale:Security:AuthFailureLimit"] = "-3",
            ["ClawScale:Security:AuthFailureWindow"] = "00:00:00",
        }));
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        var failures = Failures(ex).ToList();
        var message = string.Join("\n", failures);
        foreach (var key in new[] { "ClawScale:HttpPort", "ClawScale:Pipeline:DeliveryMaxAttempts", "ClawScale:Pipeline:PollInterval", "ClawScale:Pipeline:HistoryWindow", "ClawScale:Pipeline:SendRatePerChannel", "ClawScale:Pipeline:RetryMaxDelay", "ClawScale:Security:AuthFailureLimit", "ClawScale:Security:AuthFailureWindow" })
            Assert.Contains(key, message);
        Assert.Contains("-1", message);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Values_that_do_not_convert_fail_start_listed_with_the_out_of_range_ones()
    {
        var app = KernelApp.Create([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ClawScale:DataDirectory"] = Directory.CreateTempSubdirectory("clawscale-bad-").FullName,
            ["ClawScale:GrpcPort"] = "four-thousand",
            ["ClawScale:Database:MigrateOnStart"] = "maybe",
            ["ClawScale:Security:ApiKeyCacheTtl"] = "thirty seconds",
            ["ClawScale:Pipeline:DeliveryMaxAttempts"] = "abc",
            ["ClawScale:Pipeline:SendRatePerChannel"] = "1,5",
            ["ClawScale:HttpPort"] = "70000",
            ["ClawScale:Pipeline:HistoryWindow"] = "-5",
        }));
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        var failures = Failures(ex).ToList();
        var message = string.Join("\n", failures);
        Assert.Contains("ClawScale:GrpcPort 'four-thousand' is not a whole number (default 4041).", failures);
        Assert.Contains("ClawScale:Database:MigrateOnStart 'maybe' is not true or false (default true).", failures);
        Assert.Contains("ClawScale:Security:ApiKeyCacheTtl 'thirty seconds' is not a duration", message);
        Assert.Contains("ClawScale:Pipeline:DeliveryMaxAttempts 'abc' is not a whole number (default 8).", failures);
        Assert.Contains("ClawScale:Pipeline:SendRatePerChannel '1,5' is not a number", message);
        // Out-of-range values are listed with them; a value that does not convert is not also reported out of range.
        Assert.Contains("ClawScale:HttpPort 70000", message);
        Assert.Contains("ClawScale:Pipeline:HistoryWindow -5", message);
        Assert.Equal(7, failures.Count);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task An_unknown_ClawScale_key_is_warned_about_naming_it_and_the_known_ones()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?>
        {
            ["ClawScale:Databse:MigrateOnStart"] = "true",
            ["ClawScale:Pipeline:PollIntervall"] = "00:00:01",
        });

        var warnings = kernel.Logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        var typo = Assert.Single(warnings, m => m.Contains("ClawScale:Databse", StringComparison.Ordinal));
        Assert.Contains("Database", typo.Replace("ClawScale:Databse", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        var nested = Assert.Single(warnings, m => m.Contains("ClawScale:Pipeline:PollIntervall", StringComparison.Ordinal));
        Assert.Contains("PollInterval,", nested, StringComparison.Ordinal);
        // Keys the kernel knows are not warned about.
        Assert.DoesNotContain(warnings, m => m.Contains("ClawScale:DataDirectory", StringComparison.Ordinal) || m.Contains("ClawScale:Bootstrap", StringComparison.Ordinal));
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_non_loopback_listen_address_without_TLS_is_warned_about_and_loopback_is_not()
    {
        await using (var loopback = await KernelHost.StartAsync(TestDatabase.Sqlite()))
            Assert.DoesNotContain(loopback.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("without TLS", StringComparison.Ordinal));

        await using var open = await KernelHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?> { ["ClawScale:ListenAddress"] = "0.0.0.0" });
        var warning = Assert.Single(open.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("without TLS", StringComparison.Ordinal));
        Assert.Contains("0.0.0.0", warning.Message, StringComparison.Ordinal);
        Assert.Contains("ClawScale:Tls", warning.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Data_and_key_directories_are_created_0700_and_the_database_and_key_files_0600()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        var root = Directory.CreateTempSubdirectory("clawscale-modes-").FullName;
        var data = Path.Combine(root, "data");
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            await using (var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), dataDirectory: data))
            {
                // A credential makes the Data Protection key ring write its first key.
                var (tenant, _) = await kernel.CreateTenantAsync();
                await kernel.Admin.CreateChannelAsync(new Protos.V1.CreateChannelRequest
                {
                    TenantId = tenant.Id, Kind = "telegram", DisplayName = "bot",
                    Config = { ["api_base_url"] = KernelHost.UnreachablePlatformUrl }, Credentials = { ["bot_token"] = KernelHost.SampleBotToken },
                }, kernel.AdminAuth);

                Assert.Equal(Private | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
                Assert.Equal(Private | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(data, "keys")));
                Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(data, "clawscale.db")));
                var keyFiles = Directory.GetFiles(Path.Combine(data, "keys"));
                Assert.NotEmpty(keyFiles);
                Assert.All(keyFiles, f => Assert.Equal(Private, File.GetUnixFileMode(f)));
                kernel.AssertNoUnexpectedErrors();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static IEnumerable<string> Failures(Exception ex) => ex switch
    {
        OptionsValidationException o => o.Failures,
        AggregateException a => a.InnerExceptions.SelectMany(Failures),
        _ => [ex.Message],
    };
}
