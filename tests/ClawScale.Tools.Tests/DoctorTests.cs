using System.Text.Json;
using ClawScale.Cli;
using ClawScale.Client;
using ClawScale.Protos.V1;
using ClawScale.Tools.Tests.Infrastructure;

namespace ClawScale.Tools.Tests;

/// <summary>
/// <c>clawscale doctor</c> (run in process) against a kernel process: exit 0 while all is fine, 1 while a channel has
/// a last error or a dead letter waits, 0 again once the trouble is gone (its tenant deleted).
/// </summary>
[Collection(ToolsCollection.Name)]
public sealed class DoctorTests(KernelProcess kernel)
{
    private async Task<(int Exit, string Out)> DoctorAsync(params string[] extra)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["--address", kernel.GrpcAddress.ToString(), "--api-key", kernel.AdminKey, "doctor", .. extra], stdout, stderr);
        var output = stdout + stderr.ToString();
        Assert.DoesNotContain(kernel.AdminKey, output);
        return (exit, output);
    }

    private async Task<(int Exit, string Out)> CliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["--address", kernel.GrpcAddress.ToString(), "--api-key", kernel.AdminKey, .. args], stdout, stderr);
        return (exit, stdout + stderr.ToString());
    }

    [Fact]
    public async Task Doctor_exits_0_when_healthy_and_1_on_a_channel_error_or_a_dead_letter()
    {
        using var client = new ClawScaleClient(new ClawScaleClientOptions { Address = kernel.GrpcAddress, ApiKey = kernel.AdminKey });

        var (exit, output) = await DoctorAsync();
        Assert.True(exit == 0, output + "\n" + kernel.RecentOutput);
        foreach (var check in new[] { "ok    config", "ok    connection", "ok    health", "ok    database", "ok    auth", "ok    plugins", "ok    channels", "ok    dead-letters" })
            Assert.Contains(check, output);
        Assert.Contains("echo, telegram, webhook", output);

        // A channel whose platform refuses connections: its last error makes doctor fail, naming it.
        var broken = (await client.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = "doctor-broken-" + Guid.NewGuid().ToString("N")[..8], DisplayName = "Broken" })).Tenant;
        var telegram = (await client.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            TenantId = broken.Id, Kind = "telegram", DisplayName = "Bot with an unreachable API",
            Config = { ["api_base_url"] = "http://127.0.0.1:9", ["mode"] = "polling" },
            Credentials = { ["bot_token"] = "123456789:AAEhBP0av28tPb3N5xAdR8NW-Zw4SZDbAvY" },
        })).Channel;
        await WaitUntilAsync(async () => (await client.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = telegram.Id })).Channel.LastError.Length > 0, "the channel's last error");

        (exit, output) = await DoctorAsync("--json");
        Assert.Equal(CliApp.RpcFailure, exit);
        using (var report = JsonDocument.Parse(output))
        {
            Assert.False(report.RootElement.GetProperty("ok").GetBoolean());
            var channels = Check(report, "channels");
            Assert.Equal("failure", channels.GetProperty("status").GetString());
            Assert.Contains(channels.GetProperty("details").EnumerateArray(), d => d.GetString()!.Contains(telegram.Id) && d.GetString()!.Contains("Connecting failed"));
            Assert.Equal("ok", Check(report, "dead-letters").GetProperty("status").GetString());
        }

        await client.Admin.DeleteTenantAsync(new DeleteTenantRequest { TenantId = broken.Id });
        (exit, output) = await DoctorAsync();
        Assert.True(exit == 0, "after deleting the broken tenant: " + output);

        // A reply the platform never takes (the callback refuses connections, one attempt allowed): a dead letter.
        var dead = (await client.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = "doctor-dead-" + Guid.NewGuid().ToString("N")[..8], DisplayName = "Dead letters" })).Tenant;
        var agent = (await client.Admin.CreateAgentAsync(new CreateAgentRequest { TenantId = dead.Id, Name = "echo", Kind = "echo" })).Agent;
        await client.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { TenantId = dead.Id, AgentId = agent.Id });
        var webhook = (await client.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            TenantId = dead.Id, Kind = "webhook", DisplayName = "Callback that refuses",
            Config = { ["callback_url"] = "http://127.0.0.1:9/callback", ["timeout_seconds"] = "5" },
        })).Channel;

        var (sendExit, sendOutput) = await CliAsync("send", "test", "--channel", webhook.Id, "--chat", "chat-1");
        Assert.True(sendExit == CliApp.RpcFailure, sendOutput);
        Assert.Contains("dead letter", sendOutput);

        (exit, output) = await DoctorAsync();
        Assert.True(exit == CliApp.RpcFailure, output);
        Assert.Contains("FAIL  dead-letters", output);
        Assert.Contains("1 dead letter waiting", output);
        Assert.Contains(dead.Slug, output);
        Assert.Contains("clawscale deliveries retry", output);

        // Scoped to another tenant, the dead letter is not this doctor run's concern.
        var (scopedExit, scoped) = await DoctorAsync("--tenant", (await client.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = "doctor-clean-" + Guid.NewGuid().ToString("N")[..8], DisplayName = "Clean" })).Tenant.Id);
        Assert.True(scopedExit == 0, scoped);

        await client.Admin.DeleteTenantAsync(new DeleteTenantRequest { TenantId = dead.Id });
        (exit, output) = await DoctorAsync();
        Assert.True(exit == 0, "after deleting the tenant with the dead letter: " + output);
    }

    private static JsonElement Check(JsonDocument report, string name) =>
        report.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    private async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.\n{kernel.RecentOutput}");
            await Task.Delay(50);
        }
    }
}
