using System.Globalization;
using System.Text.Json.Nodes;

namespace ClawScale.Kernel.Tests.Faults;

/// <summary>
/// One Telegram Update a fault test sends: a private text message from user <see cref="ChatId"/> (a private chat's id is
/// its user's id) with a text unique in the run, so the echo agent's reply (<see cref="Reply"/>) identifies it.
/// </summary>
internal sealed record PlannedUpdate(int Sequence, long UpdateId, long ChatId, long MessageId, string Text)
{
    /// <summary>The echo agent's answer to this update.</summary>
    public string Reply => "echo: " + Text;

    /// <summary>The Update in the shape of the Bot API documentation (as in Payloads/Telegram/private_text.json).</summary>
    public string Json()
    {
        var user = new JsonObject { ["id"] = ChatId, ["is_bot"] = false, ["first_name"] = "Load", ["last_name"] = "U" + ChatId.ToString(CultureInfo.InvariantCulture), ["language_code"] = "en" };
        var chat = new JsonObject { ["id"] = ChatId, ["first_name"] = "Load", ["last_name"] = "U" + ChatId.ToString(CultureInfo.InvariantCulture), ["type"] = "private" };
        return new JsonObject
        {
            ["update_id"] = UpdateId,
            ["message"] = new JsonObject { ["message_id"] = MessageId, ["from"] = user, ["chat"] = chat, ["date"] = 1735732800, ["text"] = Text },
        }.ToJsonString();
    }

    /// <summary>
    /// <paramref name="perChat"/> messages in each of <paramref name="chats"/> private chats, interleaved (message 1 of every
    /// chat, then message 2, …), numbered from 0.
    /// </summary>
    public static IReadOnlyList<PlannedUpdate> Plan(int chats, int perChat)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var chatBase = 300_000_000L + Random.Shared.Next(0, 1_000_000) * 100L;
        var plan = new List<PlannedUpdate>(chats * perChat);
        for (var k = 0; k < perChat; k++)
        {
            for (var c = 0; c < chats; c++)
            {
                var sequence = plan.Count;
                plan.Add(new PlannedUpdate(sequence, 900_000_000L + sequence, chatBase + c, 1_000 + k, $"{tag} c{c} m{k}"));
            }
        }

        return plan;
    }
}
