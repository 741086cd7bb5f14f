using System.Diagnostics;
using System.Text.Json;
using Grpc.Net.Client;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ClawScale.Kernel.Tests.Interop;

/// <summary>
/// Real gRPC clients other than our own against the real kernel: Python grpcio (Debian's python3-grpcio, stubs generated
/// by protoc + grpc_python_plugin from protos/) and <c>buf curl</c> through server reflection.
/// </summary>
public sealed class GrpcInteropTests(SqliteKernelFixture fixture) : IClassFixture<SqliteKernelFixture>
{
    private KernelHost Kernel => fixture.Host;

    [ToolFact("PYTHON", "grpc_python_plugin")]
    public async Task Python_grpcio_calls_admin_identity_and_health_rpcs()
    {
        var k = Kernel;
        var root = TestEnvironment.RepoRoot;
        var stubs = Directory.CreateTempSubdirectory("clawscale-py-").FullName;
        // Python's installed grpc package would shadow generated grpc/health modules: compile health.proto as healthcheck/.
        var sources = Directory.CreateTempSubdirectory("clawscale-proto-").FullName;
        Directory.CreateDirectory(Path.Combine(sources, "healthcheck"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Interop", "health.proto"), Path.Combine(sources, "healthcheck", "health.proto"));
        var protoc = await RunAsync("protoc", [
            "-I", Path.Combine(root, "protos"),
            "-I", sources,
            $"--python_out={stubs}", $"--grpc_out={stubs}", $"--plugin=protoc-gen-grpc={TestEnvironment.Which("grpc_python_plugin")}",
            "clawscale/v1/resources.proto", "clawscale/v1/admin.proto", "clawscale/v1/identity.proto", "healthcheck/health.proto"]);
        Assert.True(protoc.ExitCode == 0, "protoc failed: " + protoc.Output);

        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "grpcio_client.py");
        var run = await RunAsync(TestEnvironment.Python, [script, stubs, $"127.0.0.1:{k.GrpcAddress.Port}", k.AdminKey, Guid.NewGuid().ToString("N")[..8]]);
        Assert.True(run.ExitCode == 0, "python client failed: " + run.Output);
        using var json = JsonDocument.Parse(run.Output.Trim().Split('\n')[^1]);
        var r = json.RootElement;
        Assert.True(r.GetProperty("listed").GetBoolean());
        Assert.True(r.GetProperty("customer_tenant_matches").GetBoolean());
        Assert.Equal("telegram", r.GetProperty("provider").GetString());
        Assert.Equal(1, r.GetProperty("identities").GetInt32());
        Assert.Equal("UNAUTHENTICATED", r.GetProperty("unauthenticated").GetString());
        Assert.Equal("INVALID_ARGUMENT", r.GetProperty("invalid").GetString());
        Assert.StartsWith("slug:", r.GetProperty("invalid_message").GetString());
        Assert.Equal("SERVING", r.GetProperty("health").GetString());
        Assert.Equal("SERVING", r.GetProperty("watch_first").GetString());
        k.AssertNoUnexpectedErrors();
    }

    [ToolFact("BUF", "buf")]
    public async Task Buf_curl_lists_services_by_reflection_and_calls_an_rpc_with_json()
    {
        var k = Kernel;
        var address = k.GrpcAddress.ToString().TrimEnd('/');
        var list = await RunAsync("buf", ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-services", address]);
        Assert.True(list.ExitCode == 0, "buf curl --list-services failed: " + list.Output);
        foreach (var service in new[] { "clawscale.v1.AdminService", "clawscale.v1.IdentityService", "clawscale.v1.RoutingService", "clawscale.v1.DeliveryService", "clawscale.v1.RuntimeService", "grpc.health.v1.Health" })
            Assert.Contains(service, list.Output);

        var slug = "buf-" + Guid.NewGuid().ToString("N")[..8];
        var create = await RunAsync("buf", ["curl", "--protocol", "grpc", "--http2-prior-knowledge",
            "-H", $"authorization: Bearer {k.AdminKey}",
            "-d", $"{{\"slug\":\"{slug}\",\"displayName\":\"From buf\"}}",
            $"{address}/clawscale.v1.AdminService/CreateTenant"]);
        Assert.True(create.ExitCode == 0, "buf curl CreateTenant failed: " + create.Output);
        Assert.Contains(slug, create.Output);

        var tenants = await k.Admin.ListTenantsAsync(new ListTenantsRequest { PageSize = 500 }, k.AdminAuth);
        Assert.Contains(tenants.Tenants, t => t.Slug == slug && t.DisplayName == "From buf");

        var denied = await RunAsync("buf", ["curl", "--protocol", "grpc", "--http2-prior-knowledge", "-d", "{}", $"{address}/clawscale.v1.AdminService/ListTenants"]);
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("unauthenticated", denied.Output, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task Csharp_client_deadline_is_enforced_on_kernel_rpcs()
    {
        var k = Kernel;
        var ex = await Assert.ThrowsAsync<RpcException>(() => k.Admin.ListTenantsAsync(new ListTenantsRequest(), k.AdminAuth, DateTime.UtcNow.AddTicks(-1)).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        // The kernel keeps serving.
        Assert.NotNull(await k.Admin.ListTenantsAsync(new ListTenantsRequest(), k.AdminAuth, DateTime.UtcNow.AddSeconds(10)));
    }

    [SkippableFact]
    public async Task Node_grpc_js_calls_health_and_admin_rpcs_with_metadata()
    {
        // .ci/run installs @grpc/grpc-js and @grpc/proto-loader with npm and puts them on NODE_PATH.
        var modules = Environment.GetEnvironmentVariable("NODE_PATH")?.Split(':').FirstOrDefault(p => Directory.Exists(Path.Combine(p, "@grpc", "grpc-js")));
        Skip.If(modules is null && !TestEnvironment.Require("GRPCJS"), "@grpc/grpc-js not on NODE_PATH: bash .ci/run installs it (set CLAWSCALE_REQUIRE_GRPCJS=1 to make this a failure).");
        Assert.True(modules is not null, "CLAWSCALE_REQUIRE_GRPCJS=1 but NODE_PATH has no @grpc/grpc-js.");
        var k = Kernel;
        var slug = "js-" + Guid.NewGuid().ToString("N")[..8];
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "grpcjs_client.js");

        var run = await RunAsync("node", [script, Path.Combine(TestEnvironment.RepoRoot, "protos"), Path.Combine(AppContext.BaseDirectory, "Interop"),
            $"127.0.0.1:{k.GrpcAddress.Port}", k.AdminKey, slug]);

        Assert.True(run.ExitCode == 0, "the grpc-js client failed: " + run.Output);
        using var json = JsonDocument.Parse(run.Output.Trim().Split('\n')[^1]);
        var r = json.RootElement;
        Assert.Equal("SERVING", r.GetProperty("health").GetString());
        Assert.Equal(slug, r.GetProperty("created").GetString());
        Assert.True(r.GetProperty("listed").GetBoolean());
        Assert.Equal((int)StatusCode.Unauthenticated, r.GetProperty("anonymousCode").GetInt32());
    }

    [SkippableFact]
    public async Task Gzip_compressed_requests_and_responses_work_on_kernel_rpcs()
    {
        var k = Kernel;
        // Grpc.Net.Client compresses a call's request messages when it carries grpc-internal-encoding-request.
        using var channel = GrpcChannel.ForAddress(k.GrpcAddress);
        var admin = new AdminService.AdminServiceClient(channel.Intercept(m => { m.Add("grpc-internal-encoding-request", "gzip"); return m; }));
        var slug = "gz-" + Guid.NewGuid().ToString("N")[..8];
        var created = await admin.CreateTenantAsync(new CreateTenantRequest { Slug = slug, DisplayName = new string('z', 200) }, k.AdminAuth);
        Assert.Equal(new string('z', 200), created.Tenant.DisplayName);
        var listed = await admin.ListTenantsAsync(new ListTenantsRequest { PageSize = 500 }, k.AdminAuth);
        Assert.Contains(listed.Tenants, t => t.Slug == slug);
    }

    [SkippableFact]
    public async Task An_oversized_request_is_resource_exhausted_and_a_malformed_one_internal_and_the_kernel_keeps_serving()
    {
        var k = Kernel;
        var huge = new CreateTenantRequest { Slug = "huge", DisplayName = new string('x', 5 * 1024 * 1024) };
        var ex = await Assert.ThrowsAsync<RpcException>(() => k.Admin.CreateTenantAsync(huge, k.AdminAuth).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);

        // A frame whose payload is not a valid protobuf message, sent raw over HTTP/2.
        using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var payload = new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F };
        var frame = new byte[5 + payload.Length];
        frame[4] = (byte)payload.Length;
        payload.CopyTo(frame, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(k.GrpcAddress, "/clawscale.v1.AdminService/ListTenants"))
        {
            Content = new ByteArrayContent(frame),
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer " + k.AdminKey);
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.First()
            : response.Headers.TryGetValues("grpc-status", out var h) ? h.First()
            : $"none (HTTP {(int)response.StatusCode}, headers: {response.Headers}, trailers: {response.TrailingHeaders})";
        Assert.Equal("13", status);

        Assert.NotNull(await k.Admin.ListTenantsAsync(new ListTenantsRequest(), k.AdminAuth));
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, IEnumerable<string> args)
    {
        var path = TestEnvironment.Which(tool) ?? tool;
        var psi = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
