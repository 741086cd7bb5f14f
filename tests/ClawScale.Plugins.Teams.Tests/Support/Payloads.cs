using System.Text;
using System.Text.Json.Nodes;

namespace ClawScale.Plugins.Teams.Tests.Support;

/// <summary>The activities under Payloads/ (documented shapes, see Payloads/SOURCES.md).</summary>
public static class Payloads
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json"), Encoding.UTF8);

    /// <summary>The payload with its <c>serviceUrl</c> pointed at <paramref name="serviceUrl"/> (the fake Connector).</summary>
    public static byte[] WithServiceUrl(string name, string serviceUrl, Action<JsonObject>? edit = null)
    {
        var json = JsonNode.Parse(Read(name))!.AsObject();
        json["serviceUrl"] = serviceUrl;
        edit?.Invoke(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
