using System.Text.Json;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>
/// Reads and validates plugins.json, reporting every error at once (YARP's ConfigValidator habit). Unknown fields are
/// ignored so the format can grow. A folder that does not exist is not a manifest error: that plugin is reported
/// as failed and the others load.
/// </summary>
internal static class ManifestReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public static ManifestReadResult Read(string manifestPath)
    {
        string text;
        try
        {
            if (!File.Exists(manifestPath))
            {
                return new ManifestReadResult(false, [], []);
            }

            text = File.ReadAllText(manifestPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ManifestReadResult(true, [], [$"plugins.json at {manifestPath} cannot be read ({ex.Message}); check its permissions or whether another program holds it."]);
        }

        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(manifestPath)) ?? ".");
    }

    public static ManifestReadResult Parse(string json, string baseDirectory)
    {
        var errors = new List<string>();
        var entries = new List<PluginSource>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return new ManifestReadResult(true, [], [$"plugins.json is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}"]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ManifestReadResult(true, [], ["plugins.json must be an object: { \"plugins\": [ { \"name\": ..., \"path\": ... } ] }."]);
            }

            if (!root.TryGetProperty("plugins", out var plugins) || plugins.ValueKind == JsonValueKind.Null)
            {
                return new ManifestReadResult(true, [], []);
            }

            if (plugins.ValueKind != JsonValueKind.Array)
            {
                return new ManifestReadResult(true, [], ["plugins.json: \"plugins\" must be an array of { \"name\", \"path\" } objects."]);
            }

            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var index = 0;
            foreach (var item in plugins.EnumerateArray())
            {
                ReadEntry(item, index, baseDirectory, seen, entries, errors);
                index++;
            }
        }

        return errors.Count > 0 ? new ManifestReadResult(true, [], errors) : new ManifestReadResult(true, entries, []);
    }

    private static void ReadEntry(JsonElement item, int index, string baseDirectory, Dictionary<string, int> seen, List<PluginSource> entries, List<string> errors)
    {
        var where = $"plugins[{index}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{where} must be an object with \"name\" and \"path\".");
            return;
        }

        var name = ReadString(item, "name", where, errors);
        if (name is not null)
        {
            where = $"plugins[{index}] (\"{name}\")";
        }

        var path = ReadString(item, "path", where, errors);
        var assembly = ReadString(item, "assembly", where, errors, required: false);
        var enabled = true;
        if (item.TryGetProperty("enabled", out var enabledElement))
        {
            if (enabledElement.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                enabled = enabledElement.GetBoolean();
            }
            else
            {
                errors.Add($"{where}: \"enabled\" must be true or false.");
            }
        }

        if (name is not null)
        {
            if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Trim() != name)
            {
                errors.Add($"{where}: \"name\" must be usable as a folder name (no path separators, no leading or trailing spaces).");
            }

            if (seen.TryGetValue(name, out var first))
            {
                errors.Add($"{where}: the name \"{name}\" is already used by plugins[{first}]; plugin names must be unique (case-insensitive).");
            }
            else
            {
                seen[name] = index;
            }
        }

        if (assembly is not null && (Path.IsPathRooted(assembly) || assembly.Contains('/', StringComparison.Ordinal) || assembly.Contains('\\', StringComparison.Ordinal)
            || !assembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"{where}: \"assembly\" must be a .dll file name inside the plugin folder, for example \"MyPlugin.dll\".");
            assembly = null;
        }

        if (name is null || path is null)
        {
            return;
        }

        var full = Path.GetFullPath(Path.Combine(baseDirectory, path));
        string folder;
        if (full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(full))
        {
            if (assembly is not null)
            {
                errors.Add($"{where}: give either a .dll \"path\" or an \"assembly\", not both.");
                return;
            }

            folder = Path.GetDirectoryName(full) ?? full;
            assembly = Path.GetFileName(full);
        }
        else
        {
            folder = full;
        }

        entries.Add(new PluginSource(name, PluginOrigin.Manifest, folder, assembly, enabled));
    }

    private static string? ReadString(JsonElement item, string property, string where, List<string> errors, bool required = true)
    {
        if (!item.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add($"{where}: \"{property}\" is required.");
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
        {
            errors.Add($"{where}: \"{property}\" must be a non-empty string.");
            return null;
        }

        return element.GetString();
    }
}
