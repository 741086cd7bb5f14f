using ClawScale.Plugins.Configuration;

namespace ClawScale.Kernel.Plugins;

/// <summary>A channel or agent kind the kernel serves and the settings it declares (empty when the plugin declares none).</summary>
/// <param name="Kind">The kind, for example <c>telegram</c>.</param>
/// <param name="Fields">Its declared settings, in form order.</param>
internal sealed record KindFields(string Kind, IReadOnlyList<ConfigField> Fields);
