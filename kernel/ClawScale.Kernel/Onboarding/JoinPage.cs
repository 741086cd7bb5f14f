using System.Net;

namespace ClawScale.Kernel.Onboarding;

/// <summary>
/// The self-contained onboarding page of <c>GET /join/{token}</c>: HTML with one inline style (CSP nonce), no script,
/// no external asset. Accessible: a main landmark, one heading, the steps as an ordered list, the open link as a real
/// link (keyboard reachable, visible focus), and the message to send in a labelled read-only field that can be
/// focused and selected.
/// </summary>
internal static class JoinPage
{
    /// <summary>The page of a link that works.</summary>
    public static string Render(JoinPageModel model, string nonce)
    {
        Func<string?, string?> h = WebUtility.HtmlEncode;
        var steps = new List<string>();
        if (model.OpenUrl is { } url && model.OpenCarriesCode)
        {
            steps.Add($"""<li><a id="open" class="button" href="{h(url)}" rel="noreferrer noopener">Open {h(model.PlatformName)}</a> and start the conversation: your code is sent for you.</li>""");
            steps.Add($"""<li>If nothing was sent, send this as your first message:{CodeField(model.MessageToSend)}</li>""");
        }
        else if (model.OpenUrl is { } invite)
        {
            steps.Add($"""<li><a id="open" class="button" href="{h(invite)}" rel="noreferrer noopener">Open {h(model.PlatformName)}</a> and find the assistant there.</li>""");
            steps.Add($"""<li>Send this as your first message:{CodeField(model.MessageToSend)}</li>""");
        }
        else
        {
            steps.Add($"""<li>Open {h(model.PlatformName)} and find the assistant there.</li>""");
            steps.Add($"""<li>Send this as your first message:{CodeField(model.MessageToSend)}</li>""");
        }

        steps.Add("<li>Then write your question: the assistant answers in the same chat.</li>");
        return Document($"Start chatting: {model.ChannelName}", nonce,
            $"""
            <h1>Start chatting with {h(model.ChannelName)}</h1>
            <p>This link connects your chat to your account. It is personal: do not share it.</p>
            <ol class="steps">
            {string.Join("\n", steps)}
            </ol>
            """);
    }

    /// <summary>The page of an unknown token (404): says what to do, and nothing about any tenant.</summary>
    public static string RenderNotFound(string nonce) => Document("Link not found", nonce,
        """
        <h1>This link is not valid</h1>
        <p>Check that you opened the whole link you were given. If it still does not work, ask whoever sent it for a new one.</p>
        """);

    /// <summary>The page of a link that no longer works (410).</summary>
    public static string RenderGone(string reason, string nonce) => Document("Link no longer valid", nonce,
        $"""
        <h1>This link no longer works</h1>
        <p>{WebUtility.HtmlEncode(reason)} Ask whoever sent it for a new one.</p>
        """);

    private static string CodeField(string message) =>
        " <label for=\"code\" class=\"code-label\">Message to send</label>" +
        $"<input id=\"code\" class=\"code\" type=\"text\" readonly value=\"{WebUtility.HtmlEncode(message)}\" aria-describedby=\"code-help\" spellcheck=\"false\" autocomplete=\"off\">" +
        "<span id=\"code-help\" class=\"hint\">Select it and copy it into the chat.</span>";

    private static string Document(string title, string nonce, string body) =>
        $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <meta name="robots" content="noindex, nofollow">
        <title>{{WebUtility.HtmlEncode(title)}}</title>
        <style nonce="{{nonce}}">
        :root { --accent: #1f5fd6; --bg: #f4f5f7; --panel: #ffffff; --text: #1f2328; --muted: #59636e; }
        @media (prefers-color-scheme: dark) { :root { --bg: #0f1216; --panel: #171b21; --text: #e6e8eb; --muted: #a3adb8; --accent: #6ea2ff; } }
        * { box-sizing: border-box; }
        body { margin: 0; font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--text); }
        main { max-width: 36rem; margin: 2rem auto; padding: 1.5rem; background: var(--panel); border-radius: .75rem; box-shadow: 0 0 0 1px rgba(127,127,127,.2); }
        h1 { font-size: 1.4rem; margin-top: 0; }
        .steps li { margin: .75rem 0; }
        .button { display: inline-block; padding: .55rem 1rem; border-radius: .5rem; background: var(--accent); color: #fff; font-weight: 600; text-decoration: none; }
        a:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .code-label { display: block; font-weight: 600; margin-top: .4rem; }
        .code { width: 100%; font: 1rem ui-monospace, SFMono-Regular, Menlo, monospace; padding: .45rem .6rem; border: 1px solid rgba(127,127,127,.5); border-radius: .4rem; background: var(--bg); color: var(--text); }
        .hint { display: block; color: var(--muted); font-size: .9rem; }
        </style>
        </head>
        <body>
        <main>
        {{body}}
        </main>
        </body>
        </html>
        """;
}
