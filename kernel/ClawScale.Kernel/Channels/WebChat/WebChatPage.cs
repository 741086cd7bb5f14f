using System.Net;
using System.Text.Json;

namespace ClawScale.Kernel.Channels.WebChat;

/// <summary>
/// The self-contained chat page (inline CSS and JS, no external assets, no framework). The page keeps a random
/// 128-bit visitor id (base64url) in localStorage, loads the conversation's history, opens an EventSource for replies
/// and posts messages with a fresh client message id (reused when the visitor retries a failed send). Opened with
/// <c>?start=join-…</c> (from a join link's page), it sends <c>/start &lt;code&gt;</c> once, with the code as client
/// message id so that a reload is deduplicated.
/// </summary>
internal static class WebChatPage
{
    /// <summary>Renders the page of a channel.</summary>
    /// <param name="channelId">The channel id (embedded as JSON, never as markup).</param>
    /// <param name="settings">The channel's title and welcome text.</param>
    /// <param name="nonce">The CSP nonce of the inline style and script.</param>
    /// <returns>The HTML document.</returns>
    public static string Render(string channelId, WebChatSettings settings, string nonce)
    {
        // System.Text.Json escapes <, >, & and quotes by default, so the JSON is safe inside a script element.
        var config = JsonSerializer.Serialize(new { channelId, title = settings.Title, welcome = settings.Welcome });
        return Template
            .Replace("{{TITLE}}", WebUtility.HtmlEncode(settings.Title), StringComparison.Ordinal)
            .Replace("{{NONCE}}", nonce, StringComparison.Ordinal)
            .Replace("{{CONFIG}}", config, StringComparison.Ordinal);
    }

    /// <summary>The page shown for an unknown, archived or non-web-chat channel.</summary>
    /// <returns>The HTML document.</returns>
    public static string RenderNotFound() =>
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Chat not found</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f4f5f7;color:#1f2328}main{text-align:center;padding:2rem}</style>
        </head><body><main><h1>Chat not found</h1><p>This chat does not exist or is no longer available. Check the link you were given.</p></main></body></html>
        """;

    private const string Template =
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{{TITLE}}</title>
        <style nonce="{{NONCE}}">
        :root { --accent: #2f6feb; --bg: #f4f5f7; --panel: #ffffff; --text: #1f2328; --muted: #646d76; --agent: #eef0f3; --danger: #c62828; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #0f1216; --panel: #171b21; --text: #e6e8eb; --muted: #9aa4ae; --agent: #232932; --accent: #4c8dff; }
        }
        * { box-sizing: border-box; }
        html, body { height: 100%; margin: 0; }
        body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--text); display: flex; justify-content: center; }
        .app { display: flex; flex-direction: column; width: 100%; max-width: 760px; height: 100%; background: var(--panel); box-shadow: 0 0 0 1px rgba(0,0,0,.06), 0 8px 24px rgba(0,0,0,.06); }
        header { display: flex; align-items: center; gap: .75rem; padding: .9rem 1.1rem; border-bottom: 1px solid rgba(127,127,127,.2); }
        header h1 { font-size: 1.1rem; margin: 0; flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        #status { font-size: .8rem; color: var(--muted); margin: 0; }
        #status::before { content: ""; display: inline-block; width: .55rem; height: .55rem; border-radius: 50%; background: #9aa4ae; margin-right: .35rem; vertical-align: middle; }
        #status.online::before { background: #2e9b4f; }
        #messages { list-style: none; margin: 0; padding: 1rem; flex: 1; overflow-y: auto; display: flex; flex-direction: column; gap: .5rem; }
        .msg { max-width: 80%; padding: .55rem .85rem; border-radius: 1rem; white-space: pre-wrap; overflow-wrap: anywhere; }
        .msg.agent, .msg.system { align-self: flex-start; background: var(--agent); border-bottom-left-radius: .3rem; }
        .msg.system { font-style: italic; color: var(--muted); }
        .msg.user { align-self: flex-end; background: var(--accent); color: #fff; border-bottom-right-radius: .3rem; }
        .msg.pending { opacity: .65; }
        .msg.failed { background: var(--danger); }
        .msg .retry { display: block; margin-top: .3rem; font: inherit; font-size: .8rem; color: inherit; background: none; border: 1px solid currentColor; border-radius: .5rem; padding: .1rem .5rem; cursor: pointer; }
        .typing { align-self: flex-start; color: var(--muted); font-size: .9rem; padding: 0 .4rem; }
        form { display: flex; gap: .5rem; padding: .75rem; border-top: 1px solid rgba(127,127,127,.2); }
        textarea { flex: 1; resize: none; font: inherit; color: inherit; background: var(--bg); border: 1px solid rgba(127,127,127,.35); border-radius: .75rem; padding: .6rem .8rem; max-height: 8rem; }
        textarea:focus, button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
        #send { font: inherit; font-weight: 600; border: 0; border-radius: .75rem; padding: 0 1.2rem; background: var(--accent); color: #fff; cursor: pointer; }
        #send:disabled { opacity: .5; cursor: default; }
        #error { color: var(--danger); font-size: .85rem; margin: 0 1rem .5rem; min-height: 1em; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        </style>
        </head>
        <body>
        <div class="app">
          <header>
            <h1 id="title">{{TITLE}}</h1>
            <p id="status" role="status" aria-live="polite">Connecting…</p>
          </header>
          <ol id="messages" role="log" aria-live="polite" aria-label="Conversation"></ol>
          <p id="error" role="alert"></p>
          <form id="composer" autocomplete="off">
            <label for="input" class="visually-hidden">Message</label>
            <textarea id="input" name="text" rows="1" maxlength="4000" placeholder="Write a message…" required></textarea>
            <button id="send" type="submit">Send</button>
          </form>
        </div>
        <script type="application/json" id="webchat-config">{{CONFIG}}</script>
        <script nonce="{{NONCE}}">
        (function () {
          "use strict";
          var config = JSON.parse(document.getElementById("webchat-config").textContent);
          var base = "/chat/" + encodeURIComponent(config.channelId);
          var list = document.getElementById("messages");
          var input = document.getElementById("input");
          var sendButton = document.getElementById("send");
          var statusEl = document.getElementById("status");
          var errorEl = document.getElementById("error");
          var items = [];          // {id, role, text, state: "sent" | "pending" | "failed" | "live" | "history"}
          var typing = null;
          var source = null;
          var reconnectDelay = 1000;

          function randomId() {
            var bytes = new Uint8Array(16);
            crypto.getRandomValues(bytes);
            var s = "";
            for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
            return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
          }

          var storageKey = "clawscale.webchat.visitor";
          var visitorId = null;
          try { visitorId = localStorage.getItem(storageKey); } catch (e) { }
          if (!visitorId || !/^[A-Za-z0-9_-]{16,64}$/.test(visitorId)) {
            visitorId = randomId();
            try { localStorage.setItem(storageKey, visitorId); } catch (e) { }
          }

          function render() {
            list.textContent = "";
            if (config.welcome) list.appendChild(bubble({ role: "agent", text: config.welcome, state: "welcome" }));
            items.forEach(function (item) { list.appendChild(bubble(item)); });
            if (typing) {
              var t = document.createElement("li");
              t.className = "typing";
              t.textContent = "…";
              t.setAttribute("aria-label", "The agent is replying");
              list.appendChild(t);
            }
            list.scrollTop = list.scrollHeight;
          }

          function bubble(item) {
            var li = document.createElement("li");
            li.className = "msg " + item.role + (item.state === "pending" ? " pending" : "") + (item.state === "failed" ? " failed" : "");
            if (item.id) li.setAttribute("data-id", item.id);
            var who = item.role === "user" ? "You" : item.role === "agent" ? "Agent" : "Notice";
            var label = document.createElement("span");
            label.className = "visually-hidden";
            label.textContent = who + ": ";
            li.appendChild(label);
            li.appendChild(document.createTextNode(item.text));
            if (item.state === "failed") {
              var retry = document.createElement("button");
              retry.type = "button";
              retry.className = "retry";
              retry.textContent = "Not sent. Retry";
              retry.addEventListener("click", function () { post(item); });
              li.appendChild(retry);
            }
            return li;
          }

          function setTyping(on) {
            if (typing) clearTimeout(typing);
            typing = on ? setTimeout(function () { typing = null; render(); }, 60000) : null;
          }

          function addLive(message) {
            if (items.some(function (i) { return i.id === message.id; })) return;
            items.push({ id: message.id, role: message.role, text: message.text, state: "live" });
            if (message.role === "agent") setTyping(false);
            render();
          }

          function loadHistory() {
            return fetch(base + "/history?visitorId=" + encodeURIComponent(visitorId), { headers: { "Accept": "application/json" } })
              .then(function (r) { if (!r.ok) throw new Error("history " + r.status); return r.json(); })
              .then(function (history) {
                var ids = {};
                var texts = {};
                history.forEach(function (m) { ids[m.id] = true; texts[m.role + "\u0000" + m.text] = true; });
                // History is authoritative for what is stored; keep what it does not have yet (newer or unsent).
                var rest = items.filter(function (i) {
                  if (i.id && ids[i.id]) return false;
                  return !(i.state === "live" && texts[i.role + "\u0000" + i.text]);
                });
                items = history.map(function (m) { return { id: m.id, role: m.role, text: m.text, state: "history" }; }).concat(rest);
                render();
              })
              .catch(function () { /* the live stream still works; history is retried on the next reconnect */ });
          }

          function connect() {
            source = new EventSource(base + "/events?visitorId=" + encodeURIComponent(visitorId));
            source.addEventListener("open", function () {
              reconnectDelay = 1000;
              statusEl.textContent = "Online";
              statusEl.className = "online";
              loadHistory();
            });
            source.addEventListener("message", function (e) {
              try { addLive(JSON.parse(e.data)); } catch (err) { }
            });
            source.addEventListener("error", function () {
              statusEl.textContent = "Reconnecting…";
              statusEl.className = "";
              if (source.readyState === EventSource.CLOSED) {
                // Refused (for example too many open pages): try again later, backing off.
                setTimeout(connect, reconnectDelay);
                reconnectDelay = Math.min(reconnectDelay * 2, 30000);
              }
            });
          }

          function post(item) {
            item.state = "pending";
            errorEl.textContent = "";
            render();
            return fetch(base + "/messages", {
              method: "POST",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify({ visitorId: visitorId, text: item.text, clientMessageId: item.clientMessageId })
            }).then(function (r) {
              if (r.status === 202) {
                item.state = "sent";
                // The reply may have arrived on the stream before this answer did.
                var answered = items.slice(items.indexOf(item) + 1).some(function (i) { return i.role === "agent"; });
                if (!answered) setTyping(true);
                render();
                return;
              }
              return r.json().catch(function () { return {}; }).then(function (body) {
                throw new Error(body.error || ("The message could not be sent (HTTP " + r.status + ")."));
              });
            }).catch(function (e) {
              item.state = "failed";
              errorEl.textContent = e && e.message ? e.message : "The message could not be sent.";
              render();
            });
          }

          document.getElementById("composer").addEventListener("submit", function (e) {
            e.preventDefault();
            var text = input.value.trim();
            if (!text) return;
            var clientMessageId = randomId();
            var item = { id: visitorId + ":" + clientMessageId, clientMessageId: clientMessageId, role: "user", text: text, state: "pending" };
            items.push(item);
            input.value = "";
            input.style.height = "";
            post(item);
            input.focus();
          });

          input.addEventListener("keydown", function (e) {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              document.getElementById("composer").requestSubmit();
            }
          });
          input.addEventListener("input", function () {
            input.style.height = "";
            input.style.height = Math.min(input.scrollHeight, 128) + "px";
          });

          render();
          connect();
          // Opened from a join link (/join/{token} → ?start=<code>): send "/start <code>" once. The code is the client
          // message id, so a reload with the same address is deduplicated by the kernel instead of sent twice.
          var startCode = null;
          try { startCode = new URLSearchParams(location.search).get("start"); } catch (e) { }
          if (startCode && /^join-[A-Za-z0-9_-]{1,59}$/.test(startCode)) {
            try { history.replaceState(null, "", location.pathname); } catch (e) { }
            var startItem = { id: visitorId + ":" + startCode, clientMessageId: startCode, role: "user", text: "/start " + startCode, state: "pending" };
            items.push(startItem);
            post(startItem);
          }
          input.focus();
        })();
        </script>
        </body>
        </html>
        """;
}
