using System.Text;
using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace ClawScale.Plugins.Telegram.Tests.Support;

/// <summary>The Bot API Update payloads under Payloads/.</summary>
public static class Payloads
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json"), Encoding.UTF8);

    /// <summary>A payload read as Telegram.Bot reads Bot API JSON (<see cref="JsonBotAPI.Options"/>).</summary>
    public static Update Update(string name) => JsonSerializer.Deserialize<Update>(Read(name), JsonBotAPI.Options)!;
}
