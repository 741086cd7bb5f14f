namespace ClawScale.Plugins.Telegram.Tests.Fakes;

/// <summary>A file part of a multipart request to the fake Bot API.</summary>
/// <param name="FieldName">
/// The field the file is for (<c>photo</c>, <c>document</c>): the part's name, or the field whose value is
/// <c>attach://&lt;part name&gt;</c>.
/// </param>
/// <param name="FileName">The part's file name.</param>
/// <param name="ContentType">The part's content type.</param>
/// <param name="Content">The bytes.</param>
public sealed record FakeTelegramUpload(string FieldName, string? FileName, string? ContentType, byte[] Content);
