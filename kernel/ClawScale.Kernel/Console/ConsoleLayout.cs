using System.Text;
using static ClawScale.Kernel.Console.Html;

namespace ClawScale.Kernel.Console;

/// <summary>The console's HTML document: head (stylesheet, optional refresh), skip link, header with navigation, main.</summary>
internal static class ConsoleLayout
{
    /// <summary>
    /// Security headers of every console answer: no caching (pages show tenant data), no framing, no scripts, forms only
    /// to this origin, no referrer to other sites.
    /// </summary>
    public static void SecureHeaders(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers["X-Frame-Options"] = "DENY";
    }

    public static IResult Render(HttpContext http, string title, Markup content, int status, int? refreshSeconds, Markup notice, Markup nav, Markup who)
    {
        var refresh = refreshSeconds is { } seconds ? H($"<meta http-equiv=\"refresh\" content=\"{seconds}\">") : Markup.Empty;
        var header = nav.Value.Length == 0 && who.Value.Length == 0
            ? new Markup("<header><span class=\"brand\">ClawScale console</span></header>")
            : H($"<header><a class=\"brand\" href=\"/console\">ClawScale console</a>{nav}{who}</header>");
        var page = H($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · ClawScale console</title>
            <link rel="stylesheet" href="/console/console.css">
            {refresh}
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            {header}
            <main id="main" tabindex="-1">
            <h1>{title}</h1>
            {notice}
            {content}
            </main>
            </body>
            </html>
            """);
        SecureHeaders(http.Response);
        return Results.Content(page.Value, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>A page for someone not signed in (sign-in, errors before sign-in).</summary>
    public static IResult Bare(HttpContext http, string title, Markup content, int status) =>
        Render(http, title, content, status, null, Markup.Empty, Markup.Empty, Markup.Empty);
}
