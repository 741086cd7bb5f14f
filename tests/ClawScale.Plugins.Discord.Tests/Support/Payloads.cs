using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Discord.Model;

namespace ClawScale.Plugins.Discord.Tests.Support;

/// <summary>The payloads under Payloads/, in Discord's documented shapes.</summary>
public static class Payloads
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json"), Encoding.UTF8);

    public static DiscordMessage Message(string name) => JsonSerializer.Deserialize(Read(name), DiscordJsonContext.Default.DiscordMessage)!;

    public static Interaction Interaction(string name) => JsonSerializer.Deserialize(Read(name), DiscordJsonContext.Default.Interaction)!;
}
