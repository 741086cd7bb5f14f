using System.Text.Json;

namespace ClawScale.Plugins.WhatsApp.Tests.Fakes;

/// <summary>One call received by <see cref="FakeGraphApi"/>.</summary>
public sealed record FakeGraphCall(string Method, string Version, string PhoneNumberId, string Authorization, JsonElement? Json)
{
    public string? Field(params string[] path)
    {
        if (Json is not { } element)
            return null;
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                return null;
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : element.ToString();
    }
}
