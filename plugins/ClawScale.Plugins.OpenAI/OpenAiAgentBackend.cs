using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.OpenAI;

/// <summary>
/// Calls <c>POST {base_url}/chat/completions</c> and turns the answer into reply messages. A streamed answer
/// (SSE <c>data:</c> chunks with <c>choices[0].delta.content</c>, ended by <c>data: [DONE]</c>) is parsed as it
/// arrives and yielded once complete, split at paragraph boundaries when longer than 4000 characters.
/// </summary>
internal sealed class OpenAiAgentBackend : IAgentBackend
{
    private const string ProviderName = "OpenAI-compatible API";
    private readonly OpenAiOptions options;
    private readonly AgentContext context;
    private readonly ProviderTransport transport;
    private readonly Uri endpoint;

    public OpenAiAgentBackend(OpenAiOptions options, AgentContext context)
    {
        this.options = options;
        this.context = context;
        endpoint = new Uri(options.BaseUrl.AbsoluteUri.TrimEnd('/') + "/chat/completions");
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
        var body = OpenAiMapper.BuildRequest(turn, options);
        var payload = Encoding.UTF8.GetBytes(body.ToJsonString());
        var messageCount = body["messages"]!.AsArray().Count;
        OpenAiLog.Requesting(context.Logger, turn.TurnId, options.Model, messageCount, options.Stream);
        var answer = await transport.SendAsync(() => CreateRequest(payload), ReadAnswerAsync, cancellationToken).ConfigureAwait(false);
        if (answer.StopReason == "length")
        {
            OpenAiLog.Truncated(context.Logger, turn.TurnId, options.Model);
        }

        var parts = answer.ToReplyTexts(ProviderName, "finish_reason", "content_filter");
        OpenAiLog.Answered(context.Logger, turn.TurnId, answer.Text.Length, parts.Count, answer.StopReason ?? "none");
        foreach (var part in parts)
        {
            yield return new AgentReply(part);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private HttpRequestMessage CreateRequest(byte[] payload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(options.Stream ? "text/event-stream" : "application/json"));
        if (options.ApiKey is { } apiKey)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return request;
    }

    private async Task<ProviderAnswer> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // A server may ignore "stream": the content type, not the request, decides how the body is read.
        var isStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return isStream ? await ReadStreamAsync(stream, cancellationToken).ConfigureAwait(false) : await ReadJsonAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a non-streamed <c>chat.completion</c>: <c>choices[0].message.content</c> and <c>finish_reason</c>.</summary>
    private async Task<ProviderAnswer> ReadJsonAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out _))
        {
            throw ProviderErrors.FromStreamError(ProviderName, root.GetRawText(), options.ApiKey);
        }

        if (!TryFirstChoice(root, out var choice))
        {
            throw ProviderErrors.BadResponse(ProviderName, "no choices in the chat.completion");
        }

        var content = choice.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
            && message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        return new ProviderAnswer(content ?? string.Empty, FinishReason(choice));
    }

    /// <summary>Reads <c>chat.completion.chunk</c> events until <c>[DONE]</c>, concatenating <c>delta.content</c>.</summary>
    private async Task<ProviderAnswer> ReadStreamAsync(Stream stream, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        string? finishReason = null;
        var done = false;
        await foreach (var sse in SseReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            if (sse.Data == "[DONE]")
            {
                done = true;
                break;
            }

            using var document = JsonDocument.Parse(sse.Data);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (sse.EventType == "error" || root.TryGetProperty("error", out _))
            {
                throw ProviderErrors.FromStreamError(ProviderName, root.GetRawText(), options.ApiKey);
            }

            if (!TryFirstChoice(root, out var choice))
            {
                continue; // e.g. the usage-only chunk of stream_options.include_usage
            }

            if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object
                && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                text.Append(content.GetString());
            }

            finishReason = FinishReason(choice) ?? finishReason;
        }

        if (!done && finishReason is null)
        {
            throw ProviderErrors.BadResponse(ProviderName, "the stream ended before data: [DONE] or a finish_reason");
        }

        return new ProviderAnswer(text.ToString(), finishReason);
    }

    private static bool TryFirstChoice(JsonElement root, out JsonElement choice)
    {
        choice = default;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in choices.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && (!item.TryGetProperty("index", out var index) || index.ValueKind != JsonValueKind.Number || index.GetInt32() == 0))
            {
                choice = item;
                return true;
            }
        }

        return false;
    }

    private static string? FinishReason(JsonElement choice) =>
        choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null;
}
