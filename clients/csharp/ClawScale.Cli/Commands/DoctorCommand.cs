using System.CommandLine;
using ClawScale.Cli.Doctor;

namespace ClawScale.Cli.Commands;

/// <summary>
/// <c>doctor</c>: one screen saying whether the configuration, the connection, the key, the kernel's health and
/// database, the plugins, the channels and the dead letters are fine. Exit code 0 when no check failed (warnings
/// allowed), 1 otherwise; <c>--json</c> (or <c>-o json</c>) prints the <see cref="DoctorReport"/> as JSON.
/// </summary>
public static class DoctorCommand
{
    /// <summary>Builds the <c>doctor</c> command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tenant = Options.Text("--tenant", "Check only this tenant's channels and dead letters (default: every tenant the key sees).");
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (same as -o json)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds each call may take. Default 10.", DefaultValueFactory = _ => 10 };
        timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 300) r.AddError("--timeout must be between 1 and 300 seconds.");
        });
        var doctor = new Command("doctor", "Check the configuration, connection, API key, gRPC health, database, plugins, channels and dead letters. "
            + "Exit 0 when all is fine (warnings allowed), 1 when something needs attention.")
        { tenant, json, timeout };
        doctor.SetAction((parsed, cancellationToken) => context.RunAsync(parsed, async client =>
        {
            var source = parsed.GetValue(context.ApiKey) is { Length: > 0 } ? "--api-key"
                : context.ResolveApiKey(parsed) is not null ? CliContext.ApiKeyVariable : null;
            var report = await new DoctorRunner(client, source, parsed.GetValue(tenant)).RunAsync(cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(json) || context.IsJson(parsed)) await context.Stdout.WriteLineAsync(report.ToJson()).ConfigureAwait(false);
            else report.WriteHuman(context.Stdout);
            return report.ExitCode;
        }, maxAttempts: 1, defaultDeadline: TimeSpan.FromSeconds(parsed.GetValue(timeout))));
        return doctor;
    }
}
