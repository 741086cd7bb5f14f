using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace ClawScale.Kernel.Console;

/// <summary>Small helpers that build the console's HTML; every value is encoded unless it is <see cref="Markup"/>.</summary>
internal static class Html
{
    /// <summary>Builds markup from an interpolated string, encoding every hole that is not <see cref="Markup"/>.</summary>
    public static Markup H(MarkupHandler handler) => handler.ToMarkup();

    /// <summary>Joins markup.</summary>
    public static Markup Join(IEnumerable<Markup> parts) => new(string.Concat(parts.Select(p => p.Value)));

    /// <summary>A timestamp as <c>2026-12-05 17:08:23 UTC</c>, or an empty string when unset.</summary>
    public static string Time(Timestamp? time) =>
        time is null ? string.Empty : time.ToDateTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>An enum value of the API without its prefix, lower case, words joined by '-': <c>TenantAdmin</c> → <c>tenant-admin</c>.</summary>
    public static string Name<T>(T value) where T : struct, System.Enum =>
        string.Concat(value.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>A status badge: <c>&lt;span class="badge dead"&gt;dead&lt;/span&gt;</c>.</summary>
    public static Markup Badge(string text) => H($"<span class=\"badge {text}\">{text}</span>");

    /// <summary>Text cut to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Cut(string? text, int max = 80) =>
        string.IsNullOrEmpty(text) ? string.Empty : text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>A table with a caption, header cells and rows (each row a sequence of cell markup); a note when empty.</summary>
    public static Markup Table(string caption, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<Markup>> rows, string empty)
    {
        var body = rows.Select(r => H($"<tr>{r.Select((c, i) => H($"<td data-label=\"{headers[i]}\">{c}</td>"))}</tr>")).ToList();
        if (body.Count == 0) return H($"<p class=\"empty\">{empty}</p>");
        return H($"<div class=\"table\"><table><caption>{caption}</caption><thead><tr>{headers.Select(h => H($"<th scope=\"col\">{h}</th>"))}</tr></thead><tbody>{body}</tbody></table></div>");
    }

    /// <summary>A link.</summary>
    public static Markup Link(string href, string text) => H($"<a href=\"{href}\">{text}</a>");

    /// <summary>A <c>code</c> element.</summary>
    public static Markup Code(string? text) => string.IsNullOrEmpty(text) ? Markup.Empty : H($"<code>{text}</code>");

    /// <summary>A labelled text input (<paramref name="type"/> text, password, …) with optional help, tied by <c>aria-describedby</c>.</summary>
    public static Markup Input(string name, string label, string? value = null, string type = "text", bool required = false, string? help = null, string? placeholder = null, string? autocomplete = null)
    {
        var id = "f-" + name.Replace('.', '-');
        var describedBy = help is null ? Markup.Empty : H($" aria-describedby=\"{id}-help\"");
        var helpMarkup = help is null ? Markup.Empty : H($"<small id=\"{id}-help\">{help}</small>");
        var req = required ? new Markup(" required") : Markup.Empty;
        var star = required ? new Markup(" <span class=\"req\" aria-hidden=\"true\">*</span>") : Markup.Empty;
        var ph = placeholder is null ? Markup.Empty : H($" placeholder=\"{placeholder}\"");
        var ac = H($" autocomplete=\"{autocomplete ?? (type == "password" ? "new-password" : "off")}\"");
        return H($"<div class=\"field\"><label for=\"{id}\">{label}{star}</label><input id=\"{id}\" name=\"{name}\" type=\"{type}\" value=\"{value ?? string.Empty}\"{req}{ph}{ac}{describedBy}>{helpMarkup}</div>");
    }

    /// <summary>A labelled select; <paramref name="options"/> are (value, text) pairs.</summary>
    public static Markup Select(string name, string label, IEnumerable<(string Value, string Text)> options, string? selected = null, string? help = null, bool required = false)
    {
        var id = "f-" + name.Replace('.', '-');
        var describedBy = help is null ? Markup.Empty : H($" aria-describedby=\"{id}-help\"");
        var helpMarkup = help is null ? Markup.Empty : H($"<small id=\"{id}-help\">{help}</small>");
        var req = required ? new Markup(" required") : Markup.Empty;
        var opts = options.Select(o => o.Value == selected
            ? H($"<option value=\"{o.Value}\" selected>{o.Text}</option>")
            : H($"<option value=\"{o.Value}\">{o.Text}</option>"));
        return H($"<div class=\"field\"><label for=\"{id}\">{label}</label><select id=\"{id}\" name=\"{name}\"{req}{describedBy}>{opts}</select>{helpMarkup}</div>");
    }

    /// <summary>A labelled textarea.</summary>
    public static Markup TextArea(string name, string label, string? value, string? help = null)
    {
        var id = "f-" + name.Replace('.', '-');
        var describedBy = help is null ? Markup.Empty : H($" aria-describedby=\"{id}-help\"");
        var helpMarkup = help is null ? Markup.Empty : H($"<small id=\"{id}-help\">{help}</small>");
        return H($"<div class=\"field\"><label for=\"{id}\">{label}</label><textarea id=\"{id}\" name=\"{name}\" rows=\"3\"{describedBy}>{value ?? string.Empty}</textarea>{helpMarkup}</div>");
    }

    /// <summary>An alert box (<c>role="alert"</c>) for an error, or nothing.</summary>
    public static Markup Error(string? message) => string.IsNullOrEmpty(message) ? Markup.Empty : H($"<p class=\"alert error\" role=\"alert\">{message}</p>");

    /// <summary>A status box (<c>role="status"</c>) for a confirmation, or nothing.</summary>
    public static Markup Notice(string? message) => string.IsNullOrEmpty(message) ? Markup.Empty : H($"<p class=\"alert ok\" role=\"status\">{message}</p>");
}
