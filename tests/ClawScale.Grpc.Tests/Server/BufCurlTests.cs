using System.Diagnostics;
using ClawScale.Grpc.Tests.Infrastructure;

namespace ClawScale.Grpc.Tests.Server;

/// <summary>Interop with a real third-party client: <c>buf curl</c> over h2c using server reflection.</summary>
public sealed class BufCurlTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    [BufFact]
    public async Task Buf_lists_methods_through_reflection()
    {
        var (exitCode, output, error) = await BufFactAttribute.RunAsync("curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-methods", server.Address.ToString().TrimEnd('/'));

        Assert.True(exitCode == 0, $"buf exited with {exitCode}: {error}");
        Assert.Contains("clawscale.test.v1.TestService/Echo", output);
        Assert.Contains("clawscale.test.v1.TestService/Duplex", output);
    }

    [BufFact]
    public async Task Buf_lists_services_through_reflection()
    {
        var (exitCode, output, error) = await BufFactAttribute.RunAsync("curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-services", server.Address.ToString().TrimEnd('/'));

        Assert.True(exitCode == 0, $"buf exited with {exitCode}: {error}");
        Assert.Contains("clawscale.test.v1.TestService", output);
        Assert.Contains("grpc.health.v1.Health", output);
    }

    [BufFact]
    public async Task Buf_calls_a_method_with_json()
    {
        var url = new Uri(server.Address, "clawscale.test.v1.TestService/Echo").ToString();
        var (exitCode, output, error) = await BufFactAttribute.RunAsync("curl", "--protocol", "grpc", "--http2-prior-knowledge", "-d", "{\"text\":\"from buf\",\"count\":3}", url);

        Assert.True(exitCode == 0, $"buf exited with {exitCode}: {error}");
        Assert.Contains("\"text\": \"from buf\"", output);
        Assert.Contains("\"index\": 3", output);
    }

    [BufFact]
    public async Task Buf_sees_grpc_errors()
    {
        var url = new Uri(server.Address, "clawscale.test.v1.TestService/FailWith").ToString();
        var (exitCode, _, error) = await BufFactAttribute.RunAsync("curl", "--protocol", "grpc", "--http2-prior-knowledge", "-d", "{\"code\":9,\"detail\":\"precondition\"}", url);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("failed_precondition", error);
        Assert.Contains("precondition", error);
    }
}

/// <summary>
/// Runs only when buf is available (/tmp/buf/node_modules/.bin/buf, $BUF_PATH or buf on PATH). When
/// CLAWSCALE_REQUIRE_BUF is set, a missing buf fails the test instead of skipping it.
/// </summary>
public sealed class BufFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> BufPath = new(Locate);

    public BufFactAttribute()
    {
        if (BufPath.Value is null && Environment.GetEnvironmentVariable("CLAWSCALE_REQUIRE_BUF") is null)
        {
            Skip = "buf not found (looked at $BUF_PATH, /tmp/buf/node_modules/.bin/buf and PATH); install @bufbuild/buf or set CLAWSCALE_REQUIRE_BUF to make this a failure.";
        }
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var path = BufPath.Value ?? throw new InvalidOperationException("CLAWSCALE_REQUIRE_BUF is set but buf was not found at $BUF_PATH, /tmp/buf/node_modules/.bin/buf or on PATH.");
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("buf did not finish within 60 s.");
        }

        return (process.ExitCode, await output, await error);
    }

    private static string? Locate()
    {
        var candidates = new List<string?> { Environment.GetEnvironmentVariable("BUF_PATH"), "/tmp/buf/node_modules/.bin/buf" };
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            candidates.Add(Path.Combine(dir, "buf"));
        }

        return candidates.FirstOrDefault(File.Exists);
    }
}
