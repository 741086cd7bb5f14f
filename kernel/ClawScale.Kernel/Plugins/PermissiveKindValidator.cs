namespace ClawScale.Kernel.Plugins;

/// <summary>Accepts every kind; replaced by the plugin catalog's validator once plugins are loaded by the host.</summary>
internal sealed class PermissiveKindValidator : IKindValidator
{
    public IReadOnlyList<string> ValidateChannel(string kind, IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials) => [];

    public IReadOnlyList<string> ValidateAgent(string kind, IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials) => [];
}
