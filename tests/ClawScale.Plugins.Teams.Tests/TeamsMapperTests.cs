using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Teams.Model;
using Xunit;

namespace ClawScale.Plugins.Teams.Tests;

/// <summary>Pure mapping functions of <see cref="TeamsMapper"/> and the service URL allow-list.</summary>
public sealed class TeamsMapperTests
{
    [Fact]
    public void The_dedup_key_is_conversation_and_activity_and_never_longer_than_256()
    {
        Assert.Equal("a:1|1485983408511", TeamsMapper.DedupKey("a:1", "1485983408511"));
        Assert.NotEqual(TeamsMapper.DedupKey("a:1", "5"), TeamsMapper.DedupKey("a:2", "5"));
        var longConversation = "19:" + new string('c', 300) + "@thread.tacv2";
        var key = TeamsMapper.DedupKey(longConversation, "1485983408511");
        Assert.True(key.Length <= 256);
        Assert.StartsWith("sha256:", key);
        Assert.EndsWith("|1485983408511", key);
        Assert.Equal(key, TeamsMapper.DedupKey(longConversation, "1485983408511"));
    }

    [Fact]
    public void The_bots_own_messages_are_ignored()
    {
        var activity = new Activity
        {
            Type = "message", Id = "1", ServiceUrl = "https://smba.trafficmanager.net/amer/", Text = "hi",
            From = new ChannelAccount { Id = "28:bot" }, Recipient = new ChannelAccount { Id = "28:bot" },
            Conversation = new ConversationAccount { Id = "a:1", ConversationType = "personal" },
        };
        Assert.Null(TeamsMapper.TryMapActivity(activity, DateTimeOffset.UnixEpoch, out var reason));
        Assert.Contains("bot", reason);
    }

    [Fact]
    public void A_mention_only_message_with_nothing_else_is_ignored()
    {
        var activity = new Activity
        {
            Type = "message", Id = "1", ServiceUrl = "https://smba.trafficmanager.net/amer/", Text = "<at>Bot</at> ",
            From = new ChannelAccount { Id = "29:u" }, Recipient = new ChannelAccount { Id = "28:bot" },
            Conversation = new ConversationAccount { Id = "19:x@thread.v2", ConversationType = "groupChat" },
            Entities = [new ActivityEntity { Type = "mention", Text = "<at>Bot</at>", Mentioned = new ChannelAccount { Id = "28:BOT" } }],
        };
        Assert.Null(TeamsMapper.TryMapActivity(activity, DateTimeOffset.UnixEpoch, out var reason));
        Assert.Contains("neither text nor attachments", reason);
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/", true)]
    [InlineData("https://SMBA.trafficmanager.net/emea/", true)]
    [InlineData("https://europe.webchat.botframework.com/", true)]
    [InlineData("https://botframework.com.evil.example/", false)]
    [InlineData("https://evilbotframework.com/", false)]
    [InlineData("http://smba.trafficmanager.net/amer/", false)]
    [InlineData("https://user:pw@smba.trafficmanager.net/amer/", false)]
    [InlineData("https://smba.trafficmanager.net/amer/?x=1", false)]
    public void The_service_url_allow_list_matches_host_suffixes_over_https(string url, bool allowed)
    {
        Assert.Equal(allowed, ServiceUrlPolicy.Check(new Uri(url), new TeamsOptions(), out var problem));
        Assert.Equal(allowed, problem is null);
    }

    [Fact]
    public void Network_failures_retry_and_token_failures_pass_through()
    {
        Assert.Equal(SendOutcome.Retry, TeamsMapper.ToFailedSendResult(new TeamsApiResult { TransportError = "connection refused" }).Outcome);
        var token = SendResult.Permanent("bad secret");
        Assert.Same(token, TeamsMapper.ToFailedSendResult(new TeamsApiResult { TokenFailure = token }));
    }

    [Fact]
    public void The_reply_url_escapes_the_conversation_and_activity_ids()
    {
        var url = TeamsApiClient.ActivitiesUrl(new Uri("https://smba.trafficmanager.net/amer"), "19:abc@thread.skype;messageid=1481567603816", "1481567603816");
        Assert.Equal("https://smba.trafficmanager.net/amer/v3/conversations/19%3Aabc%40thread.skype%3Bmessageid%3D1481567603816/activities/1481567603816", url.AbsoluteUri);
        Assert.EndsWith("/v3/conversations/a%3A1/activities", TeamsApiClient.ActivitiesUrl(new Uri("https://smba.trafficmanager.net/amer/"), "a:1", null).AbsoluteUri);
    }
}
