using System.CommandLine;
using ClawScale.Cli.Output;
using ClawScale.Protos.V1;

namespace ClawScale.Cli.Commands;

/// <summary><c>plugins list|reload</c> (platform-admin).</summary>
public static class PluginCommands
{
    /// <summary>Builds the <c>plugins</c> command.</summary>
    public static Command Create(CliContext context)
    {
        var plugins = new Command("plugins", "Loaded and failed plugins (platform-admin).");
        var list = new Command("list", "List plugins.");
        context.Handle(list, (p, c, ct) => c.Admin.ListPluginsAsync(new ListPluginsRequest(), cancellationToken: ct).ResponseAsync, (r, w) => Print(r.Plugins, w));
        var reload = new Command("reload", "Reload plugins from plugins.json and the plugins directory.");
        context.Handle(reload, (p, c, ct) => c.Admin.ReloadPluginsAsync(new ReloadPluginsRequest(), cancellationToken: ct).ResponseAsync, (r, w) => Print(r.Plugins, w));
        plugins.Subcommands.Add(list);
        plugins.Subcommands.Add(reload);
        return plugins;
    }

    private static void Print(IEnumerable<Plugin> plugins, TextWriter writer)
    {
        var table = new Table("NAME", "VERSION", "STATE", "CHANNEL KINDS", "AGENT KINDS", "ERROR", "SOURCE");
        foreach (var pl in plugins)
            table.Add(pl.Name, pl.Version, Render.Enum(pl.State), Render.List(pl.ChannelKinds), Render.List(pl.AgentKinds), Render.Cut(pl.Error), pl.Source);
        table.WriteTo(writer);
    }
}
