namespace ClawScale.Kernel.Console;

/// <summary>A tenant page was asked for before a platform admin picked a tenant; the console answers with the tenant list.</summary>
internal sealed class ConsoleTenantRequiredException() : Exception("Pick a tenant first.");
