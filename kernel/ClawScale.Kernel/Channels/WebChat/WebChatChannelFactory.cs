using ClawScale.Plugins.Configuration;
using ClawScale.Plugins.Channels;

namespace ClawScale.Kernel.Channels.WebChat;

/// <summary>
/// The built-in <c>webchat</c> channel kind: a page at <c>GET /chat/{channelId}</c> on the kernel's HTTP port where a
/// visitor chats with the tenant's agent. Config: <c>title</c>, <c>welcome</c>, <c>allowed_origins</c>
/// (see <see cref="WebChatSettings"/>); no credentials. Registered in DI as an <see cref="IChannelAdapterFactory"/>
/// by <see cref="WebChatServiceCollectionExtensions.AddClawScaleWebChat"/>.
/// </summary>
internal sealed class WebChatChannelFactory(WebChatHub hub) : IChannelAdapterFactory
{
    /// <summary>The channel kind, <c>webchat</c>.</summary>
    public const string ChannelKind = "webchat";

    /// <inheritdoc />
    public string Kind => ChannelKind;

    /// <inheritdoc />
    public IReadOnlyList<ConfigField> ConfigFields { get; } =
    [
        new(WebChatSettings.TitleKey, "Page title") { Help = "Shown at the top of the chat page." },
        new(WebChatSettings.WelcomeKey, "Welcome message") { Help = "Shown before the visitor writes." },
        new(WebChatSettings.AllowedOriginsKey, "Allowed origins") { Help = "Comma-separated origins (https://shop.example) whose pages may embed the chat; empty: this kernel's own page only." },
    ];

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        WebChatSettings.Parse(config, out var problems);
        var errors = new List<string>(problems);
        foreach (var key in credentials.Keys.Order(StringComparer.Ordinal))
            errors.Add($"credentials.{key} is not used: webchat channels take no credentials; remove it");
        return errors;
    }

    /// <inheritdoc />
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = WebChatSettings.Parse(context.Config, out _);
        return new WebChatAdapter(context.ChannelId, settings, hub, context.Logger);
    }
}
