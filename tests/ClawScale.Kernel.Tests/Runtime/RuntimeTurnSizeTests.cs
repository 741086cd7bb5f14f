using ClawScale.Kernel.Runtime;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Google.Protobuf;
using Setup = ClawScale.Kernel.Tests.Pipeline.TelegramPipelineTests.Setup;

namespace ClawScale.Kernel.Tests.Runtime;

/// <summary>
/// A conversation whose history is larger than one gRPC message still reaches a connected runtime (our C# client with
/// grpc-dotnet's default 4 MiB receive limit, over HTTP/2 through the real host), and the runtime's stream stays up.
/// </summary>
public sealed class RuntimeTurnSizeTests
{
    private const string Chat = "5550001";
    private static readonly int Attachment = 2560 * 1024; // 2.5 MiB of inline data per message: two of them pass 4 MiB

    [Fact]
    public async Task History_larger_than_a_gRPC_message_is_cut_oldest_first_and_the_runtime_session_stays_up()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), RuntimeKernelFixture.Settings);
        await using var t = await Setup.StartAsync(kernel);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { TenantId = t.TenantId, Name = "runtime", Kind = "external" }, kernel.AdminAuth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { TenantId = t.TenantId, AgentId = agent.Id, ChannelId = t.ChannelId }, kernel.AdminAuth);
        var key = (await kernel.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = t.TenantId, Name = "rt", Scope = ApiKeyScope.Runtime, AgentIds = { agent.Id } }, kernel.AdminAuth)).Secret;
        await using var runtime = await TestRuntime.ConnectAsync(kernel, key, new RuntimeHello { RuntimeName = "size" });

        var turns = new List<RuntimeTurn>();
        for (var i = 1; i <= 3; i++)
        {
            await kernel.Routing.RouteInboundAsync(Inbound(t.TenantId, t.ChannelId, i), kernel.AdminAuth);
            var turn = await runtime.NextTurnAsync(TimeSpan.FromSeconds(30));
            turns.Add(turn);
            Assert.Equal($"photo {i}", turn.Message.Text);
            Assert.Equal(Attachment, turn.Message.Attachments.Single().Data.Length);
            Assert.True(new ConnectResponse { Turn = turn }.CalculateSize() <= 4 * 1024 * 1024);
            await runtime.AckAsync(turn.TurnId);
            await runtime.ReplyAsync(turn.TurnId, $"got photo {i}");
            // The reply is stored before the next message arrives, so it is part of the next turn's history.
            using var accepted = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.Equal(turn.TurnId, (await runtime.Accepted.Reader.ReadAsync(accepted.Token)).TurnId);
        }

        await t.WaitForRepliesAsync(Chat, 3);
        Assert.Null(runtime.EndStatus);

        Assert.False(turns[0].HistoryTruncated);
        // Turn 3's window: photo 1, reply 1, photo 2, reply 2. Reply 2 fits the 1 MiB budget; photo 2 (2.5 MiB) is
        // larger than the whole budget, so it is cut into what is left; photo 1 and reply 1 are left out.
        var third = turns[2];
        Assert.True(third.HistoryTruncated);
        Assert.Equal(2, third.HistoryOmitted);
        Assert.False(third.MessageTruncated);
        Assert.Equal(2, third.History.Count);
        var cut = third.History[0];
        Assert.Equal(MessageRole.User, cut.Role);
        Assert.Equal("photo 2" + RuntimeTurnBudget.TruncationMarker, cut.Text);
        var attachment = Assert.Single(cut.Attachments);
        Assert.True(attachment.Data.IsEmpty);
        Assert.Equal(("photo-2.jpg", (long)Attachment), (attachment.FileName, attachment.SizeBytes));
        Assert.Equal("got photo 2", third.History[1].Text);
        Assert.True(third.History.Sum(RuntimeTurnBudget.HistoryEntrySize) <= 1024 * 1024);
        t.AssertNoUnexpectedErrors();
    }

    private static RouteInboundRequest Inbound(string tenantId, string channelId, int i) => new()
    {
        TenantId = tenantId,
        ChannelId = channelId,
        ExternalChatId = Chat,
        ProviderMessageId = "size-" + i,
        Sender = new ExternalIdentityKey { Provider = "telegram", IdentityType = "user_id", Value = Chat },
        Text = $"photo {i}",
        Attachments =
        {
            new Attachment
            {
                Kind = AttachmentKind.Image, FileName = $"photo-{i}.jpg", MimeType = "image/jpeg", SizeBytes = Attachment,
                Data = ByteString.CopyFrom(new byte[Attachment]),
            },
        },
    };
}
