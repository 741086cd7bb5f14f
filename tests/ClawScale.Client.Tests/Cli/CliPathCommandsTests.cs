using System.Text.Json;
using ClawScale.Cli;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;

namespace ClawScale.Client.Tests.Cli;

/// <summary>
/// <c>send test|message</c>, <c>conversations</c>, <c>watch deliveries</c> and <c>doctor</c> run in process against a
/// real kernel: a web chat channel answered by the echo agent.
/// </summary>
public sealed class CliPathCommandsTests(SqliteKernelFixture kernel) : IClassFixture<SqliteKernelFixture>
{
    private async Task<(int Exit, string Out, string Err)> RunAsync(string key, string[] args, CancellationToken cancellationToken = default, TextWriter? stdout = null)
    {
        var all = new List<string> { "--address", kernel.Host.GrpcAddress.ToString(), "--api-key", key };
        all.AddRange(args);
        using var own = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(all.ToArray(), stdout ?? own, stderr, cancellationToken);
        return (exit, stdout is null ? own.ToString() : string.Empty, stderr.ToString());
    }

    /// <summary>A tenant with a web chat channel and the echo agent as its default agent.</summary>
    private async Task<(Tenant Tenant, string Key, string ChannelId)> WebChatWithEchoAsync()
    {
        var (tenant, key) = await kernel.Host.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Host.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Host.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Host.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Web" }, auth)).Channel;
        return (tenant, key, channel.Id);
    }

    [SkippableFact]
    public async Task Send_test_goes_through_the_channel_and_the_conversation_shows_both_messages()
    {
        var (_, key, channelId) = await WebChatWithEchoAsync();
        const string chat = "visitorCLI000000000000001";

        var (exit, output, error) = await RunAsync(key, ["send", "test", "--channel", channelId, "--chat", chat, "--text", "ping from the cli"]);
        Assert.True(exit == 0, output + error);
        Assert.Contains("OK:", output);
        Assert.Contains("delivered", output);

        (exit, output, error) = await RunAsync(key, ["conversations", "list", "-o", "json", "--channel", channelId]);
        Assert.True(exit == 0, error);
        using var listed = JsonDocument.Parse(output);
        var conversation = Assert.Single(listed.RootElement.GetProperty("conversations").EnumerateArray());
        Assert.Equal(chat, conversation.GetProperty("externalChatId").GetString());
        var conversationId = conversation.GetProperty("id").GetString()!;

        (exit, output, error) = await RunAsync(key, ["conversations", "show", conversationId]);
        Assert.True(exit == 0, error);
        Assert.Contains("Conversation " + conversationId, output);
        Assert.Contains("user    ping from the cli", output);
        Assert.True(output.Contains("agent   echo: ping from the cli", StringComparison.Ordinal), output);

        (exit, output, error) = await RunAsync(key, ["-o", "json", "conversations", "messages", conversationId]);
        Assert.True(exit == 0, error);
        using var messages = JsonDocument.Parse(output);
        Assert.Equal(["MESSAGE_ROLE_USER", "MESSAGE_ROLE_AGENT"], messages.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
    }

    [SkippableFact]
    public async Task Send_test_fails_with_exit_1_when_no_agent_answers()
    {
        var (_, key) = await kernel.Host.CreateTenantAsync();
        var channel = (await kernel.Host.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Web" }, KernelHost.Auth(key))).Channel;

        var (exit, output, _) = await RunAsync(key, ["send", "test", "--channel", channel.Id, "--chat", "visitorCLI000000000000002"]);

        Assert.Equal(CliApp.RpcFailure, exit);
        Assert.Contains("Turn: failed", output);
        Assert.Contains("FAILED:", output);
    }

    [SkippableFact]
    public async Task Watch_deliveries_streams_a_proactive_message_until_cancelled()
    {
        var (tenant, key, channelId) = await WebChatWithEchoAsync();
        var accepted = await kernel.Host.Routing.RouteInboundAsync(new RouteInboundRequest
        {
            TenantId = tenant.Id, ChannelId = channelId, ExternalChatId = "visitorCLI000000000000003", ProviderMessageId = "m1",
            Sender = new ExternalIdentityKey { Provider = "webchat", IdentityType = "user_id", Value = "v3" }, Text = "hello",
        }, KernelHost.Auth(key));

        using var watchOutput = new StringWriter();
        var synchronized = TextWriter.Synchronized(watchOutput);
        string Text()
        {
            lock (synchronized) return watchOutput.ToString();
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var watch = RunAsync(key, ["watch", "deliveries", "--tenant", tenant.Id], stop.Token, synchronized);

        // The watch has no "subscribed" signal; it re-reads 2 s back from when the kernel subscribed it, so a message sent
        // right after starting it is normally seen. On a loaded machine, send another until one shows (bounded).
        var shown = false;
        for (var attempt = 0; attempt < 5 && !shown && !watch.IsCompleted; attempt++)
        {
            var (exit, output, error) = await RunAsync(key, ["-o", "json", "send", "message", "--conversation", accepted.ConversationId, "--text", "a proactive note " + attempt, "--wait"]);
            Assert.True(exit == 0, output + error);
            var deliveryId = JsonDocument.Parse(output).RootElement.GetProperty("delivery").GetProperty("id").GetString()!;
            try
            {
                await Eventually.TrueAsync(() => Text().Split('\n').Any(l => l.Contains(deliveryId) && l.Contains("delivered")) || watch.IsCompleted,
                    "the watch to print the delivery as delivered", TimeSpan.FromSeconds(5));
                shown = !watch.IsCompleted;
            }
            catch (TimeoutException)
            {
            }
        }

        Assert.False(watch.IsCompleted, "the watch ended early: " + (watch.IsCompleted ? (await watch).Err : string.Empty));
        Assert.True(shown, "the watch printed none of the proactive messages:\n" + Text());
        await stop.CancelAsync();
        var (watchExit, _, watchError) = await watch;
        Assert.True(watchExit == 0, watchError);
    }

    [SkippableFact]
    public async Task Doctor_with_a_tenant_key_is_fine_then_reports_a_channel_in_error()
    {
        var (tenant, key, _) = await WebChatWithEchoAsync();

        var (exit, output, error) = await RunAsync(key, ["doctor"]);
        Assert.True(exit == 0, output + error);
        Assert.Contains("ok    connection", output);
        Assert.Contains("skip  plugins", output);
        Assert.Contains("All fine", output);

        // A Telegram channel whose Bot API refuses connections: connecting fails, the channel shows the error.
        var channel = (await kernel.Host.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "telegram", DisplayName = "Broken bot",
            Config = { ["api_base_url"] = KernelHost.UnreachablePlatformUrl, ["mode"] = "polling" },
            Credentials = { ["bot_token"] = KernelHost.SampleBotToken },
        }, KernelHost.Auth(key))).Channel;
        await Eventually.TrueAsync(async () => (await kernel.Host.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = channel.Id }, KernelHost.Auth(key))).Channel.LastError.Length > 0, "the channel's last error");

        (exit, output, error) = await RunAsync(key, ["doctor", "--json"]);
        Assert.Equal(CliApp.RpcFailure, exit);
        using var report = JsonDocument.Parse(output);
        Assert.False(report.RootElement.GetProperty("ok").GetBoolean());
        var channels = report.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "channels");
        Assert.Equal("failure", channels.GetProperty("status").GetString());
        Assert.Contains(channels.GetProperty("details").EnumerateArray(), d => d.GetString()!.Contains(channel.Id) && d.GetString()!.Contains(tenant.Slug));
        Assert.DoesNotContain(key, output + error);
        Assert.DoesNotContain(KernelHost.SampleBotToken, output + error);
    }
}
