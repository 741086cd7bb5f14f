using System.Text;

namespace ClawScale.Plugins.Webhook.Tests.Support;

/// <summary>The inbound payloads under Payloads/, in the documented format.</summary>
public static class Payloads
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json"), Encoding.UTF8);
}
