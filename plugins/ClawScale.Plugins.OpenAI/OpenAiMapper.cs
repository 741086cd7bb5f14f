using System.Text.Json.Nodes;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.OpenAI;

/// <summary>
/// Pure mapping from a turn to a Chat Completions request body (OpenAI API reference, "Create chat completion":
/// <c>model</c>, <c>messages[]</c> with roles <c>system</c>/<c>user</c>/<c>assistant</c>, content as a string or an
/// array of <c>text</c> and <c>image_url</c> parts, <c>stream</c>, <c>temperature</c>, <c>max_tokens</c>).
/// </summary>
internal static class OpenAiMapper
{
    public static JsonObject BuildRequest(AgentTurn turn, OpenAiOptions options)
    {
        var messages = new JsonArray();
        if (options.SystemPrompt is { } systemPrompt)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = systemPrompt });
        }

        var history = turn.History.Count > options.HistoryWindow ? turn.History.Skip(turn.History.Count - options.HistoryWindow) : turn.History;
        foreach (var message in history.Append(turn.Message))
        {
            if (MapMessage(message) is { } mapped)
            {
                messages.Add(mapped);
            }
        }

        var request = new JsonObject { ["model"] = options.Model, ["messages"] = messages, ["stream"] = options.Stream };
        if (options.Temperature is { } temperature)
        {
            request["temperature"] = temperature;
        }

        if (options.MaxTokens is { } maxTokens)
        {
            request["max_tokens"] = maxTokens;
        }

        return request;
    }

    /// <summary>One chat message, or <see langword="null"/> when it has nothing to send.</summary>
    public static JsonObject? MapMessage(ConversationMessage message)
    {
        var role = message.Role switch
        {
            ConversationRole.Agent => "assistant",
            ConversationRole.System => "system",
            _ => "user",
        };
        var text = message.Text ?? string.Empty;
        var attachments = message.Attachments ?? [];
        var notes = attachments.Where(a => role != "user" || ImageUrl(a) is null).Select(Describe).ToList();
        if (notes.Count > 0)
        {
            text = string.Join("\n", new[] { text }.Concat(notes).Where(s => s.Length > 0));
        }

        var images = role == "user" ? attachments.Select(ImageUrl).OfType<string>().ToList() : [];
        if (images.Count == 0)
        {
            return text.Length == 0 ? null : new JsonObject { ["role"] = role, ["content"] = text };
        }

        var parts = new JsonArray();
        if (text.Length > 0)
        {
            parts.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        }

        foreach (var url in images)
        {
            parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } });
        }

        return new JsonObject { ["role"] = role, ["content"] = parts };
    }

    /// <summary>An image's http(s) URL, or a <c>data:</c> URL for inline bytes with a MIME type; otherwise null.</summary>
    private static string? ImageUrl(MessageAttachment attachment)
    {
        if (attachment.Kind != AttachmentKind.Image)
        {
            return null;
        }

        if (attachment.Url is { } url && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)))
        {
            return url;
        }

        return attachment.Data is { } data && attachment.MimeType is { } mime
            ? $"data:{mime};base64,{Convert.ToBase64String(data.Span)}"
            : null;
    }

    private static string Describe(MessageAttachment attachment) =>
        $"[attachment: {attachment.Kind.ToString().ToLowerInvariant()}{(attachment.FileName is { } name ? " " + name : string.Empty)}{(attachment.MimeType is { } mime ? $" ({mime})" : string.Empty)}]";
}
