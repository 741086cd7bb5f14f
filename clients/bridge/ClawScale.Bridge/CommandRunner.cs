using System.Diagnostics;
using System.Text;

namespace ClawScale.Bridge;

/// <summary>Runs a command with a stdin text, extra environment variables and a timeout, capturing stdout and stderr.</summary>
public static class CommandRunner
{
    /// <summary>Runs <paramref name="command"/> once.</summary>
    /// <param name="command">The program and arguments.</param>
    /// <param name="stdin">Written to the process's stdin (UTF-8), which is then closed.</param>
    /// <param name="environment">Variables added to (or replacing in) the inherited environment.</param>
    /// <param name="timeout">How long the process may run; past it, it is killed with its tree and <see cref="CommandResult.TimedOut"/> is set.</param>
    /// <param name="workingDirectory">Working directory; null: the current one.</param>
    /// <param name="cancellationToken">Kills the process and throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started (not found, not executable).</exception>
    public static async Task<CommandResult> RunAsync(
        CommandSpec command, string stdin, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string? workingDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var argument in command.Arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{command.FileName}'.");
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), timeoutCts.Token).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading all of stdin (a broken pipe): its exit code tells what happened.
        }
        catch (OperationCanceledException)
        {
            // Timed out or cancelled while writing: handled below.
        }

        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeoutCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = true;
        }

        return new CommandResult(timedOut ? -1 : process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), timedOut);
    }
}
