using System.Text;

namespace ClawScale.Plugins.Slack.Tests.Support;

/// <summary>The Slack payloads under Payloads/ (Events API bodies in Slack's documented shapes).</summary>
public static class Payloads
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json"), Encoding.UTF8);

    public static byte[] Bytes(string name) => Encoding.UTF8.GetBytes(Read(name));
}
