using ClawScale.Kernel.Tests.Infrastructure;

namespace ClawScale.Kernel.Tests.Faults;

/// <summary>
/// The fault tests run one at a time, after the other tests and never beside them: each puts the machine under load
/// (kernel processes, PostgreSQL, a load generator) and 2 shared cores are not enough for two of them at once.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultTests
{
    public const string Name = "Faults";

    /// <summary>
    /// Kernel settings common to the fault tests: fast polling; an 8 s lease, so that work held by a dead kernel (or lost
    /// in a database outage) is taken over within seconds instead of the default 2 minutes; no per-sender inbound
    /// limit or channel send rate getting in the way of the load; enough attempts that no delivery becomes a dead letter
    /// during an outage; short backoff.
    /// </summary>
    internal static Dictionary<string, string> Settings() => new()
    {
        ["ClawScale:Pipeline:PollInterval"] = "00:00:00.100",
        ["ClawScale:Pipeline:LeaseDuration"] = "00:00:08",
        ["ClawScale:Pipeline:SenderMessagesPerMinute"] = "100000",
        ["ClawScale:Pipeline:SendRatePerChannel"] = "10000",
        ["ClawScale:Pipeline:SendConcurrencyPerChannel"] = "16",
        ["ClawScale:Pipeline:DeliveryMaxAttempts"] = "30",
        ["ClawScale:Pipeline:RetryBaseDelay"] = "00:00:00.200",
        ["ClawScale:Pipeline:RetryMaxDelay"] = "00:00:01",
    };

    /// <summary>A platform-admin key secret for <c>ClawScale:Bootstrap:AdminApiKey</c>.</summary>
    internal static string NewAdminKey() => "csk_faults_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    /// <summary>Skips the test when PostgreSQL is not configured, unless CLAWSCALE_REQUIRE_POSTGRES=1 (CI) makes it a failure.</summary>
    internal static void SkipWithoutPostgres() =>
        Skip.If(TestEnvironment.PostgresConnectionString is null && !TestEnvironment.Require("POSTGRES"),
            "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES (bash .ci/run does).");

    /// <summary>A temp folder for a kernel's data directory, deleted by <see cref="DeleteDirectory"/>.</summary>
    internal static string NewDirectory(string prefix) => Directory.CreateTempSubdirectory(prefix).FullName;

    internal static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder.
        }
    }
}
