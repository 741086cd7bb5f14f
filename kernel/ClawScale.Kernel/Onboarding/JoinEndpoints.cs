using System.Text;
using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using ClawScale.Plugins.Channels;
using ClawScale.Protos.V1;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Onboarding;

/// <summary>
/// <c>GET /join/{token}</c> on the kernel's HTTP port: the public onboarding page of a join link (no API key; the
/// 256-bit token is the only credential). 200 with the steps for the link's channel; 404 for a token that is malformed
/// or unknown (checked by shape before any query); 410 for a link that is revoked, expired, used up or whose channel is
/// archived. Every answer is <c>no-store</c>, <c>noindex</c>, <c>Referrer-Policy: no-referrer</c> (the token must not
/// leak to t.me or an invite host through the Referer header) and a CSP without script.
/// </summary>
internal static class JoinEndpoints
{
    /// <summary>Maps <c>GET /join/{token}</c>.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGet("/join/{token}", GetPageAsync).WithTags("onboarding");

    private static async Task<IResult> GetPageAsync(
        string token, HttpContext http, [FromServices] ClawScaleDbContext db, [FromServices] IChannelRegistry registry,
        [FromServices] ISecretGenerator random, [FromServices] TimeProvider time, [FromServices] ILogger<JoinPageModel> logger,
        CancellationToken cancellationToken)
    {
        var nonce = random.NewToken(16);
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers.ContentSecurityPolicy = $"default-src 'none'; style-src 'nonce-{nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        var prefix = token.Length > 6 ? token[..6] : token;

        if (!JoinLinkSecrets.IsToken(token)) return NotFound(logger, prefix, "not a join link token", nonce);
        var hash = JoinLinkSecrets.Hash(token);
        var link = await db.JoinLinks.AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
        if (link is null) return NotFound(logger, prefix, "no join link has this token", nonce);
        var channel = await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == link.ChannelId, cancellationToken);
        if (channel is null) return NotFound(logger, prefix, "the link's channel is gone", nonce);

        var status = JoinLinkPolicy.StatusOf(link, time.GetUtcNow().UtcDateTime);
        var gone = status switch
        {
            JoinLinkStatus.Expired => "This link has expired.",
            JoinLinkStatus.Revoked => "This link was withdrawn.",
            JoinLinkStatus.UsedUp => "This link has been used as often as it allows.",
            _ when channel.Status == ChannelStatusValue.Archived => "This chat is no longer available.",
            _ => null,
        };
        if (gone is not null)
        {
            OnboardingLog.PageGone(logger, link.Id, gone);
            return Html(JoinPage.RenderGone(gone, nonce), StatusCodes.Status410Gone);
        }

        var model = await BuildAsync(link, channel, token, registry, logger, cancellationToken);
        return Html(JoinPage.Render(model, nonce), StatusCodes.Status200OK);
    }

    /// <summary>The steps for the link's channel kind (see <see cref="JoinPageModel"/>).</summary>
    private static async Task<JoinPageModel> BuildAsync(
        JoinLinkEntity link, ChannelEntity channel, string token, IChannelRegistry registry, ILogger logger, CancellationToken cancellationToken)
    {
        var code = JoinLinkSecrets.CodeFor(token);
        var isTelegram = channel.Kind == "telegram";
        var message = isTelegram ? "/start " + code : code;
        var platform = channel.Kind switch
        {
            "telegram" => "Telegram",
            "slack" => "Slack",
            "discord" => "Discord",
            Channels.WebChat.WebChatChannelFactory.ChannelKind => "the chat",
            var other => other,
        };

        if (channel.Kind == Channels.WebChat.WebChatChannelFactory.ChannelKind)
            return new JoinPageModel(channel.DisplayName, platform, $"/chat/{Uri.EscapeDataString(channel.Id)}?start={Uri.EscapeDataString(code)}", true, message);

        var startLink = await StartLinkAsync(registry, channel.Id, code, logger, cancellationToken);
        if (startLink is not null) return new JoinPageModel(channel.DisplayName, platform, startLink.AbsoluteUri, true, message);

        var invite = link.InviteUrl.Length > 0 ? link.InviteUrl : ConfigInviteUrl(channel.ConfigJson);
        return new JoinPageModel(channel.DisplayName, platform, invite, false, message);
    }

    /// <summary>The adapter's start link (<see cref="IChannelStartLink"/>), or null when it has none or fails.</summary>
    private static async Task<Uri?> StartLinkAsync(IChannelRegistry registry, string channelId, string code, ILogger logger, CancellationToken cancellationToken)
    {
        var lookup = await registry.GetAsync(channelId, cancellationToken);
        if (lookup.Handle?.Adapter is not IChannelStartLink source) return null;
        try
        {
            var uri = source.GetStartLink(code);
            return uri is { IsAbsoluteUri: true } && uri.Scheme == Uri.UriSchemeHttps ? uri : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A plugin fault costs only the shortcut: the page still shows the code to send.
            OnboardingLog.StartLinkFailed(logger, channelId, ex);
            return null;
        }
    }

    /// <summary>The channel config's https <c>invite_url</c>, or null.</summary>
    private static string? ConfigInviteUrl(string configJson) =>
        Grpc.ProtoMapping.ReadMap(configJson).GetValueOrDefault(JoinLinkPolicy.InviteUrlConfigKey) is { } value
        && Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.UserInfo.Length == 0
            ? uri.AbsoluteUri
            : null;

    private static IResult NotFound(ILogger logger, string prefix, string reason, string nonce)
    {
        OnboardingLog.PageRefused(logger, StatusCodes.Status404NotFound, prefix, reason);
        return Html(JoinPage.RenderNotFound(nonce), StatusCodes.Status404NotFound);
    }

    private static IResult Html(string html, int status) => Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
}
