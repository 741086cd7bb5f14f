using System.Globalization;
using System.Net;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Kernel.Tests.Pipeline;
using ClawScale.Kernel.Pipeline;

namespace ClawScale.Kernel.Tests.BadInput;

/// <summary>ClawScale:Pipeline:SenderMessagesPerMinute set to 0 switches the per-sender inbound limit off.</summary>
public sealed class SenderLimitConfigurationTests
{
    [Fact]
    public async Task SenderMessagesPerMinute_0_accepts_and_answers_a_flood_beyond_the_default_limit()
    {
        var settings = new Dictionary<string, string?>(TelegramKernelFixture.Settings) { ["ClawScale:Pipeline:SenderMessagesPerMinute"] = "0" };
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), settings);
        await using var w = await GenericWebhookChannel.StartAsync(kernel);
        // More than the default limit, which would answer 429 from message 61 on.
        var count = new PipelineOptions().SenderMessagesPerMinute + 10;

        for (var i = 1; i <= count; i++)
        {
            var (status, _, text) = await w.PostAsync(GenericWebhookChannel.Message($"m-{i}", "xavier", $"flood {i}"));
            Assert.True(status == HttpStatusCode.Accepted, $"message {i}: {(int)status} {text}");
        }

        await Eventually.TrueAsync(() => w.RepliesTo("xavier").Count == count, $"{count} replies");
        Assert.Equal(Enumerable.Range(1, count).Select(i => "echo: flood " + i.ToString(CultureInfo.InvariantCulture)).Order(), w.RepliesTo("xavier").Order());
        Assert.DoesNotContain(kernel.Logs.Entries, e => e.EventId.Id == 2105);
        kernel.AssertNoUnexpectedErrors();
    }
}
