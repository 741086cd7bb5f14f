using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Telegram.Model;

namespace ClawScale.Plugins.Telegram.Tests.Support;

/// <summary>The Bot API Update payloads under Payloads/.</summary>
public static class Payloads
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json"), Encoding.UTF8);

    public static Update Update(string name) => JsonSerializer.Deserialize(Read(name), TelegramJsonContext.Default.Update)!;
}
