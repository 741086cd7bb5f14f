namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>plugins.json as read: its entries, or every error found.</summary>
/// <param name="Exists">Whether the file exists.</param>
/// <param name="Entries">The entries, in file order (empty when there are errors).</param>
/// <param name="Errors">Every error, each naming the entry and what to fix.</param>
internal sealed record ManifestReadResult(bool Exists, IReadOnlyList<PluginSource> Entries, IReadOnlyList<string> Errors);
