using System.Text;
using System.Text.Json.Nodes;

namespace ClawScale.Plugins.Agents.Tests.Fakes;

/// <summary>
/// A fake Anthropic Messages API (<c>POST /v1/messages</c>) answering in the documented shapes: <c>message</c>
/// objects, streamed events (<c>message_start</c>, <c>content_block_start</c>, <c>ping</c>,
/// <c>content_block_delta</c>/<c>text_delta</c>, <c>content_block_stop</c>, <c>message_delta</c>,
/// <c>message_stop</c>, <c>error</c>) and errors as <c>{"type":"error","error":{"type","message"},"request_id"}</c>.
/// Like the real API it refuses a missing <c>x-api-key</c>/<c>anthropic-version</c>, a missing <c>max_tokens</c>,
/// a first message not from the user and roles that do not alternate.
/// </summary>
public sealed class FakeAnthropicServer : FakeProviderServer
{
    private FakeAnthropicServer()
    {
    }

    /// <summary>The <c>base_url</c> to configure (no <c>/v1</c>).</summary>
    public Uri BaseUrl => Origin;

    public static async Task<FakeAnthropicServer> StartAsync()
    {
        var server = new FakeAnthropicServer();
        await server.StartCoreAsync();
        return server;
    }

    protected override string Route => "/v1/messages";

    protected override FakeReply? Check(RecordedRequest request)
    {
        if (request.Header("x-api-key") is not { Length: > 0 } key || (RequiredApiKey is { } required && key != required))
        {
            return FakeReply.Error(401, "authentication_error", "invalid x-api-key");
        }

        if (request.Header("anthropic-version") is null)
        {
            return FakeReply.Error(400, "invalid_request_error", "anthropic-version: header is required");
        }

        var json = request.Json;
        if (json["max_tokens"] is null)
        {
            return FakeReply.Error(400, "invalid_request_error", "max_tokens: Field required");
        }

        if (json["messages"] is not JsonArray { Count: > 0 } messages)
        {
            return FakeReply.Error(400, "invalid_request_error", "messages: at least one message is required");
        }

        string? previous = null;
        foreach (var message in messages)
        {
            var role = message?["role"]?.GetValue<string>();
            if (previous is null && role != "user")
            {
                return FakeReply.Error(400, "invalid_request_error", "messages: first message must use the \"user\" role");
            }

            if (role is not ("user" or "assistant") || role == previous)
            {
                return FakeReply.Error(400, "invalid_request_error", "messages: roles must alternate between \"user\" and \"assistant\"");
            }

            previous = role;
        }

        return null;
    }

    protected override string ErrorBody(FakeReply reply) => new JsonObject
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = reply.ErrorType, ["message"] = reply.ErrorMessage },
        ["request_id"] = "req_fake_0001",
    }.ToJsonString();

    protected override string JsonBody(FakeReply reply, string model) => new JsonObject
    {
        ["id"] = "msg_fake1",
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = reply.Text }),
        ["stop_reason"] = "end_turn",
        ["stop_sequence"] = null,
        ["usage"] = new JsonObject { ["input_tokens"] = 12, ["output_tokens"] = 7 },
    }.ToJsonString();

    protected override string StreamBody(FakeReply reply, string model)
    {
        var sse = new StringBuilder();
        void Event(string name, JsonObject data) => sse.Append("event: ").Append(name).Append('\n').Append("data: ").Append(data.ToJsonString()).Append("\n\n");

        Event("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = "msg_fake1",
                ["type"] = "message",
                ["role"] = "assistant",
                ["content"] = new JsonArray(),
                ["model"] = model,
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = 12, ["output_tokens"] = 1 },
            },
        });
        Event("content_block_start", new JsonObject
        {
            ["type"] = "content_block_start",
            ["index"] = 0,
            ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = string.Empty },
        });
        Event("ping", new JsonObject { ["type"] = "ping" });
        foreach (var piece in reply.Pieces())
        {
            Event("content_block_delta", new JsonObject
            {
                ["type"] = "content_block_delta",
                ["index"] = 0,
                ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = piece },
            });
        }

        if (reply.ErrorMidStream)
        {
            Event("error", new JsonObject
            {
                ["type"] = "error",
                ["error"] = new JsonObject { ["type"] = reply.ErrorType, ["message"] = reply.ErrorMessage },
            });
            return sse.ToString();
        }

        if (reply.Truncate)
        {
            return sse.ToString();
        }

        Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 });
        Event("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = "end_turn", ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = 7 },
        });
        Event("message_stop", new JsonObject { ["type"] = "message_stop" });
        return sse.ToString();
    }
}
