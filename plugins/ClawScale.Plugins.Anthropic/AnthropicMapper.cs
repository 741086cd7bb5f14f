using System.Text.Json.Nodes;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.Anthropic;

/// <summary>
/// Pure mapping from a turn to a Messages API request body (Anthropic API reference, "Messages": <c>model</c>,
/// <c>max_tokens</c>, top-level <c>system</c>, <c>messages[]</c> of alternating <c>user</c>/<c>assistant</c> turns
/// starting with <c>user</c>, content as <c>text</c> and <c>image</c> blocks, <c>stream</c>).
/// </summary>
internal static class AnthropicMapper
{
    public static JsonObject BuildRequest(AgentTurn turn, AnthropicOptions options)
    {
        var history = turn.History.Count > options.HistoryWindow ? turn.History.Skip(turn.History.Count - options.HistoryWindow) : turn.History;
        var messages = new JsonArray();
        string? lastRole = null;
        JsonArray? lastContent = null;
        foreach (var message in history.Append(turn.Message))
        {
            // Kernel notices (System role) have no place among user/assistant turns; the system prompt is top-level.
            if (message.Role == ConversationRole.System)
            {
                continue;
            }

            var role = message.Role == ConversationRole.Agent ? "assistant" : "user";
            if (lastRole is null && role != "user")
            {
                continue; // the first message must be the user's
            }

            var blocks = MapContent(message, role);
            if (blocks.Count == 0)
            {
                continue;
            }

            if (role == lastRole && lastContent is not null)
            {
                foreach (var block in blocks)
                {
                    lastContent.Add(block);
                }

                continue;
            }

            lastContent = [.. blocks];
            messages.Add(new JsonObject { ["role"] = role, ["content"] = lastContent });
            lastRole = role;
        }

        if (lastRole != "user")
        {
            // The turn's own message had no content: the API needs a final user turn.
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(TextBlock("[empty message]")) });
        }

        var request = new JsonObject { ["model"] = options.Model, ["max_tokens"] = options.MaxTokens };
        if (options.SystemPrompt is { } systemPrompt)
        {
            request["system"] = systemPrompt;
        }

        request["messages"] = messages;
        request["stream"] = options.Stream;
        return request;
    }

    private static List<JsonNode> MapContent(ConversationMessage message, string role)
    {
        var blocks = new List<JsonNode>();
        var text = message.Text ?? string.Empty;
        var attachments = message.Attachments ?? [];
        var images = new List<JsonNode>();
        var notes = new List<string>();
        foreach (var attachment in attachments)
        {
            if (role == "user" && ImageBlock(attachment) is { } image)
            {
                images.Add(image);
            }
            else
            {
                notes.Add($"[attachment: {attachment.Kind.ToString().ToLowerInvariant()}{(attachment.FileName is { } name ? " " + name : string.Empty)}]");
            }
        }

        text = string.Join("\n", new[] { text }.Concat(notes).Where(s => !string.IsNullOrWhiteSpace(s)));
        blocks.AddRange(images);
        if (text.Length > 0)
        {
            blocks.Add(TextBlock(text));
        }

        return blocks;
    }

    private static JsonObject TextBlock(string text) => new() { ["type"] = "text", ["text"] = text };

    /// <summary>An <c>image</c> block with a <c>url</c> source, or a <c>base64</c> source for inline bytes; otherwise null.</summary>
    private static JsonObject? ImageBlock(MessageAttachment attachment)
    {
        if (attachment.Kind != AttachmentKind.Image)
        {
            return null;
        }

        if (attachment.Url is { } url && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return new JsonObject { ["type"] = "image", ["source"] = new JsonObject { ["type"] = "url", ["url"] = url } };
        }

        return attachment.Data is { } data && attachment.MimeType is { } mime
            ? new JsonObject
            {
                ["type"] = "image",
                ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = mime, ["data"] = Convert.ToBase64String(data.Span) },
            }
            : null;
    }
}
