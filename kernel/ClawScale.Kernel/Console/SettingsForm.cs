using ClawScale.Protos.V1;
using Google.Protobuf.Collections;
using static ClawScale.Kernel.Console.Html;

namespace ClawScale.Kernel.Console;

/// <summary>
/// The part of the channel and agent forms generated from a kind's declared settings (<see cref="KindSchema"/>):
/// one input per <see cref="ConfigField"/> (<c>config.{key}</c>, or <c>cred.{key}</c> for write-only credentials, whose
/// values are never shown), plus an "other settings" box (<c>key=value</c> lines) for keys the plugin does not declare.
/// </summary>
internal static class SettingsForm
{
    public const string ExtraField = "extra";

    /// <summary>The inputs; <paramref name="config"/> fills values, <paramref name="credentialsSet"/> says which secrets are set.</summary>
    public static Markup Render(KindSchema? schema, IReadOnlyDictionary<string, string> config, IReadOnlyCollection<string> credentialsSet, bool editing)
    {
        var fields = (IReadOnlyList<ConfigField>?)schema?.Fields ?? [];
        var inputs = fields.Select(f =>
        {
            var help = string.IsNullOrEmpty(f.Help) ? null : f.Help;
            if (f.Secret)
            {
                var set = credentialsSet.Contains(f.Key);
                var state = editing ? (set ? "Set. Leave empty to keep it; type a new value to replace it." : "Not set.") : "Write-only: never shown again after saving.";
                return Input("cred." + f.Key, f.Label, null, "password", f.Required && !editing, help is null ? state : help + " " + state);
            }

            config.TryGetValue(f.Key, out var value);
            if (f.Choices.Count > 0)
            {
                var options = new List<(string, string)> { (string.Empty, f.Required ? "Choose…" : "(default)") };
                options.AddRange(f.Choices.Select(c => (c, c)));
                return Select("config." + f.Key, f.Label, options, value, help, f.Required);
            }

            return Input("config." + f.Key, f.Label, value, "text", f.Required, help);
        }).ToList();
        var declared = fields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var extra = string.Join("\n", config.Where(p => !declared.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        var extraHelp = fields.Count == 0
            ? "This kind declares no settings: one key=value per line (see its plugin's README)."
            : "Settings not listed above, one key=value per line (for example rate_limit_per_second=5).";
        return H($"<fieldset><legend>Settings</legend>{inputs}{TextArea(ExtraField, "Other settings", extra, extraHelp)}</fieldset>");
    }

    /// <summary>
    /// Reads the posted settings: <paramref name="config"/> gets every <c>config.*</c> input and <c>extra</c> line
    /// (empty values included, so an update can remove an entry), <paramref name="credentials"/> the non-empty
    /// <c>cred.*</c> inputs. Returns a problem (a malformed extra line) or null.
    /// </summary>
    public static string? Read(IFormCollection form, Dictionary<string, string> config, Dictionary<string, string> credentials)
    {
        foreach (var (name, values) in form)
        {
            var value = values.ToString().Trim();
            if (name.StartsWith("config.", StringComparison.Ordinal)) config[name["config.".Length..]] = value;
            else if (name.StartsWith("cred.", StringComparison.Ordinal) && value.Length > 0) credentials[name["cred.".Length..]] = value;
        }

        var lineNumber = 0;
        foreach (var raw in form[ExtraField].ToString().Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return $"Other settings, line {lineNumber}: '{Cut(line, 40)}' must be key=value (for example rate_limit_per_second=5).";
            config[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }

        return null;
    }

    /// <summary>The config entries to send on create: the non-empty ones.</summary>
    public static void FillCreate(MapField<string, string> target, Dictionary<string, string> config)
    {
        foreach (var (key, value) in config)
        {
            if (value.Length > 0) target[key] = value;
        }
    }

    /// <summary>
    /// The config entries to send on update: changed values, and an empty value for each current key the form no longer
    /// has (removing it). Unchanged keys are left out, so an unchanged endpoint never needs the credentials again.
    /// </summary>
    public static void FillUpdate(MapField<string, string> target, IReadOnlyDictionary<string, string> current, Dictionary<string, string> posted)
    {
        foreach (var (key, value) in posted)
        {
            current.TryGetValue(key, out var before);
            if (!string.Equals(before ?? string.Empty, value, StringComparison.Ordinal)) target[key] = value;
        }

        foreach (var key in current.Keys)
        {
            if (!posted.ContainsKey(key)) target[key] = string.Empty;
        }
    }
}
