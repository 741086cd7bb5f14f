using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ClawScale.Kernel.Console;

/// <summary>
/// The interpolated string handler behind <see cref="Html.H"/>: literals are written as they are, <see cref="Markup"/>
/// (and sequences of it) as they are, anything else HTML-encoded (text and attribute values alike: quotes are encoded).
/// </summary>
[InterpolatedStringHandler]
internal readonly ref struct MarkupHandler
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly StringBuilder _builder;

    public MarkupHandler(int literalLength, int formattedCount) => _builder = new StringBuilder(literalLength + formattedCount * 16);

    public void AppendLiteral(string value) => _builder.Append(value);

    public void AppendFormatted(string? value) => _builder.Append(Encoder.Encode(value ?? string.Empty));

    public void AppendFormatted<T>(T value)
    {
        switch (value)
        {
            case Markup markup:
                _builder.Append(markup.Value);
                break;
            case IEnumerable<Markup> many:
                foreach (var item in many) _builder.Append(item.Value);
                break;
            case null:
                break;
            default:
                _builder.Append(Encoder.Encode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
                break;
        }
    }

    public static string Encode(string? value) => Encoder.Encode(value ?? string.Empty);

    public Markup ToMarkup() => new(_builder.ToString());
}
