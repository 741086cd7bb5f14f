using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Telegram.Model;

/// <summary>
/// Writes a chat id ("Integer or String" in the Bot API) as a JSON number when it is numeric and as a string
/// (<c>@channelusername</c>) otherwise; reads either.
/// </summary>
public sealed class ChatIdJsonConverter : JsonConverter<string>
{
    /// <inheritdoc />
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number
            ? reader.GetInt64().ToString(CultureInfo.InvariantCulture)
            : reader.GetString() ?? string.Empty;

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            writer.WriteNumberValue(id);
        else
            writer.WriteStringValue(value);
    }
}
