using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace ClawScale.Plugins.Shared.WeChat;

/// <summary>
/// Reads the flat <c>&lt;xml&gt;&lt;Name&gt;value&lt;/Name&gt;…&lt;/xml&gt;</c> documents WeCom and WeChat send (values
/// plain or in CDATA). DTDs are refused and no external entity is ever resolved (XXE), and documents are limited to
/// 64 Ki characters.
/// </summary>
internal static class WxXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = 65_536,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
    };

    /// <summary>Parses the direct children of the root element into a name → text map (first occurrence wins).</summary>
    /// <param name="xml">The document.</param>
    /// <param name="fields">The fields, or null.</param>
    /// <returns>True when the document is well-formed XML with a root element.</returns>
    public static bool TryParse(string xml, out IReadOnlyDictionary<string, string>? fields)
    {
        fields = null;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), Settings);
            var root = XDocument.Load(reader).Root;
            if (root is null)
                return false;
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var element in root.Elements())
                result.TryAdd(element.Name.LocalName, element.Value.Trim());
            fields = result;
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    /// <summary>Parses UTF-8 bytes (see <see cref="TryParse(string, out IReadOnlyDictionary{string, string}?)"/>).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out IReadOnlyDictionary<string, string>? fields) =>
        TryParse(Encoding.UTF8.GetString(utf8).TrimStart('\uFEFF'), out fields);
}
