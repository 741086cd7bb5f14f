using System.Text;
using System.Text.Json;

namespace ClawScale.Cli.Doctor;

/// <summary>
/// The checks of one <c>clawscale doctor</c> run, printed as one screen of aligned lines or as a JSON document:
/// <c>{"ok": bool, "address": "…", "checks": [{"name", "status", "summary", "details": […], "hint"}]}</c>
/// (<c>status</c> is <c>ok</c>, <c>warning</c>, <c>failure</c> or <c>skipped</c>; <c>hint</c> is absent when none).
/// </summary>
/// <param name="Address">The kernel address that was checked.</param>
/// <param name="Checks">The checks, in the order they ran.</param>
public sealed record DoctorReport(string Address, IReadOnlyList<DoctorCheck> Checks)
{
    /// <summary>True when no check failed (warnings and skipped checks allowed).</summary>
    public bool Ok => Checks.All(c => c.Status != DoctorStatus.Failure);

    /// <summary>0 when <see cref="Ok"/>, else 1 (<see cref="CliApp.RpcFailure"/>).</summary>
    public int ExitCode => Ok ? CliApp.Success : CliApp.RpcFailure;

    /// <summary>Writes the human screen: one line per check (status, name, summary), its details and hint indented below.</summary>
    public void WriteHuman(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine($"ClawScale doctor: {Address}");
        var width = Checks.Count == 0 ? 0 : Checks.Max(c => c.Name.Length);
        var indent = new string(' ', 2 + 4 + 2 + width + 2);
        foreach (var check in Checks)
        {
            writer.WriteLine($"  {Label(check.Status),-4}  {check.Name.PadRight(width)}  {check.Summary}".TrimEnd());
            foreach (var detail in check.Details) writer.WriteLine(indent + "- " + detail.ReplaceLineEndings(" "));
            if (check.Hint is { Length: > 0 } hint && check.Status is DoctorStatus.Warning or DoctorStatus.Failure) writer.WriteLine(indent + "→ " + hint);
        }

        var failures = Checks.Count(c => c.Status == DoctorStatus.Failure);
        var warnings = Checks.Count(c => c.Status == DoctorStatus.Warning);
        writer.WriteLine(failures == 0
            ? $"All fine{(warnings > 0 ? $" ({warnings} warning{(warnings == 1 ? string.Empty : "s")})" : string.Empty)}."
            : $"{failures} problem{(failures == 1 ? string.Empty : "s")} found{(warnings > 0 ? $", {warnings} warning{(warnings == 1 ? string.Empty : "s")}" : string.Empty)} (exit code {ExitCode}).");
    }

    /// <summary>The report as an indented JSON document (shape in the type's summary).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteBoolean("ok", Ok);
            json.WriteString("address", Address);
            json.WriteStartArray("checks");
            foreach (var check in Checks)
            {
                json.WriteStartObject();
                json.WriteString("name", check.Name);
                json.WriteString("status", StatusName(check.Status));
                json.WriteString("summary", check.Summary);
                json.WriteStartArray("details");
                foreach (var detail in check.Details) json.WriteStringValue(detail);
                json.WriteEndArray();
                if (check.Hint is { } hint) json.WriteString("hint", hint);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The JSON name of a status: <c>ok</c>, <c>warning</c>, <c>failure</c>, <c>skipped</c>.</summary>
    public static string StatusName(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "ok",
        DoctorStatus.Warning => "warning",
        DoctorStatus.Failure => "failure",
        _ => "skipped",
    };

    private static string Label(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "ok",
        DoctorStatus.Warning => "WARN",
        DoctorStatus.Failure => "FAIL",
        _ => "skip",
    };
}
