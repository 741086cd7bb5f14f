using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClawScale.Plugins.Agents.Tests.Fakes;

/// <summary>
/// A fake OpenAI Chat Completions API (<c>POST /v1/chat/completions</c>) answering in the documented shapes:
/// <c>chat.completion</c> objects, streamed <c>chat.completion.chunk</c> SSE events ended by <c>data: [DONE]</c>,
/// and errors as <c>{"error":{"message","type","param","code"}}</c>.
/// </summary>
public sealed class FakeOpenAiServer : FakeProviderServer
{
    private FakeOpenAiServer()
    {
    }

    /// <summary>The <c>base_url</c> to configure: <c>{origin}/v1</c>.</summary>
    public Uri BaseUrl => new(Origin, "/v1");

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var server = new FakeOpenAiServer();
        await server.StartCoreAsync();
        return server;
    }

    protected override string Route => "/v1/chat/completions";

    protected override FakeReply? Check(RecordedRequest request)
    {
        // Like OpenAI, the 401 message quotes the key it got (the real API masks most of it; the fake does not, so
        // tests prove the plugin redacts it).
        if (RequiredApiKey is { } key && request.Header("authorization") != $"Bearer {key}")
        {
            var got = request.Header("authorization")?.Replace("Bearer ", string.Empty, StringComparison.Ordinal) ?? string.Empty;
            return FakeReply.Error(401, "invalid_request_error", $"Incorrect API key provided: {got}. You can find your API key at https://platform.openai.com/account/api-keys.", code: "invalid_api_key");
        }

        if (request.Json["model"] is null || request.Json["messages"] is not JsonArray { Count: > 0 })
        {
            return FakeReply.Error(400, "invalid_request_error", "you must provide a model parameter and messages");
        }

        return null;
    }

    protected override string ErrorBody(FakeReply reply) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = reply.ErrorMessage,
            ["type"] = reply.ErrorType,
            ["param"] = null,
            ["code"] = reply.ErrorCode,
        },
    }.ToJsonString();

    protected override string JsonBody(FakeReply reply, string model) => new JsonObject
    {
        ["id"] = "chatcmpl-fake1",
        ["object"] = "chat.completion",
        ["created"] = 1735732800,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Text, ["refusal"] = null },
            ["logprobs"] = null,
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 12, ["completion_tokens"] = 7, ["total_tokens"] = 19 },
    }.ToJsonString();

    protected override string StreamBody(FakeReply reply, string model)
    {
        var sse = new StringBuilder();
        void Chunk(JsonObject delta, string? finishReason) => sse.Append("data: ").Append(new JsonObject
        {
            ["id"] = "chatcmpl-fake1",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1735732800,
            ["model"] = model,
            ["system_fingerprint"] = "fp_fake",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["delta"] = delta,
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }),
        }.ToJsonString()).Append("\n\n");

        Chunk(new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null);
        foreach (var piece in reply.Pieces())
        {
            Chunk(new JsonObject { ["content"] = piece }, null);
        }

        if (reply.ErrorMidStream)
        {
            sse.Append("data: ").Append(ErrorBody(reply)).Append("\n\n");
            return sse.ToString();
        }

        if (reply.Truncate)
        {
            return sse.ToString();
        }

        Chunk(new JsonObject(), "stop");
        sse.Append("data: [DONE]\n\n");
        return sse.ToString();
    }
}
