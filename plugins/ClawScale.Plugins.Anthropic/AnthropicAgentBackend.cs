using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.Anthropic;

/// <summary>
/// Calls <c>POST {base_url}/v1/messages</c> and turns the answer into reply messages. A streamed answer (SSE events
/// <c>message_start</c>, <c>content_block_delta</c> with <c>text_delta</c>, <c>message_delta</c>,
/// <c>message_stop</c>, <c>ping</c>, <c>error</c>) is parsed as it arrives and yielded once complete, split at
/// paragraph boundaries when longer than 4000 characters.
/// </summary>
internal sealed class AnthropicAgentBackend : IAgentBackend
{
    /// <summary>The API version header value this plugin is written against.</summary>
    public const string ApiVersion = "2023-06-01";

    private const string ProviderName = "Anthropic API";
    private readonly AnthropicOptions options;
    private readonly AgentContext context;
    private readonly ProviderTransport transport;
    private readonly Uri endpoint;

    public AnthropicAgentBackend(AnthropicOptions options, AgentContext context)
    {
        this.options = options;
        this.context = context;
        endpoint = new Uri(options.BaseUrl.AbsoluteUri.TrimEnd('/') + "/v1/messages");
        transport = new ProviderTransport
        {
            ProviderName = ProviderName,
            HttpClient = context.HttpClient,
            TimeProvider = context.TimeProvider,
            Logger = context.Logger,
            Timeout = options.Timeout,
            ApiKey = options.ApiKey,
        };
    }

    public async IAsyncEnumerable<AgentReply> RespondAsync(AgentTurn turn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var body = AnthropicMapper.BuildRequest(turn, options);
        var payload = Encoding.UTF8.GetBytes(body.ToJsonString());
        var messageCount = body["messages"]!.AsArray().Count;
        AnthropicLog.Requesting(context.Logger, turn.TurnId, options.Model, messageCount, options.Stream);
        var answer = await transport.SendAsync(() => CreateRequest(payload), ReadAnswerAsync, cancellationToken).ConfigureAwait(false);
        if (answer.StopReason == "max_tokens")
        {
            AnthropicLog.Truncated(context.Logger, turn.TurnId, options.Model);
        }

        var parts = answer.ToReplyTexts(ProviderName, "stop_reason", "refusal");
        AnthropicLog.Answered(context.Logger, turn.TurnId, answer.Text.Length, parts.Count, answer.StopReason ?? "none");
        foreach (var part in parts)
        {
            yield return new AgentReply(part);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private HttpRequestMessage CreateRequest(byte[] payload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-api-key", options.ApiKey);
        request.Headers.Add("anthropic-version", ApiVersion);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(options.Stream ? "text/event-stream" : "application/json"));
        return request;
    }

    private async Task<ProviderAnswer> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var isStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return isStream ? await ReadStreamAsync(stream, cancellationToken).ConfigureAwait(false) : await ReadJsonAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a non-streamed <c>message</c>: the <c>text</c> blocks of <c>content</c>, and <c>stop_reason</c>.</summary>
    private async Task<ProviderAnswer> ReadJsonAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ProviderErrors.BadResponse(ProviderName, "the answer is not a JSON object");
        }

        if (String(root, "type") == "error")
        {
            throw ProviderErrors.FromStreamError(ProviderName, root.GetRawText(), options.ApiKey);
        }

        if (!root.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            throw ProviderErrors.BadResponse(ProviderName, "no content array in the message");
        }

        var text = new StringBuilder();
        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind == JsonValueKind.Object && String(block, "type") == "text")
            {
                text.Append(String(block, "text"));
            }
        }

        return new ProviderAnswer(text.ToString(), String(root, "stop_reason"));
    }

    /// <summary>Reads stream events until <c>message_stop</c>, concatenating <c>text_delta</c> texts.</summary>
    private async Task<ProviderAnswer> ReadStreamAsync(Stream stream, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        string? stopReason = null;
        var stopped = false;
        await foreach (var sse in SseReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            using var document = JsonDocument.Parse(sse.Data);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            switch (String(root, "type") ?? sse.EventType)
            {
                case "content_block_delta":
                    if (root.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object && String(delta, "type") == "text_delta")
                    {
                        text.Append(String(delta, "text"));
                    }

                    break;
                case "message_delta":
                    if (root.TryGetProperty("delta", out var messageDelta) && messageDelta.ValueKind == JsonValueKind.Object)
                    {
                        stopReason = String(messageDelta, "stop_reason") ?? stopReason;
                    }

                    break;
                case "error":
                    throw ProviderErrors.FromStreamError(ProviderName, root.GetRawText(), options.ApiKey);
                case "message_stop":
                    stopped = true;
                    break;
            }

            if (stopped)
            {
                break;
            }
        }

        if (!stopped)
        {
            throw ProviderErrors.BadResponse(ProviderName, "the stream ended before message_stop");
        }

        return new ProviderAnswer(text.ToString(), stopReason);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
