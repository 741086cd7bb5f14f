using System.CommandLine;
using ClawScale.Cli.Commands;

namespace ClawScale.Cli;

/// <summary>
/// The <c>clawscale</c> admin CLI as a function of its arguments and output writers (Program is a one-line call to it,
/// tests call it in process). Exit codes: 0 success, 1 an RPC failed (its gRPC status and message on stderr),
/// 2 a usage error (the problems and a hint on stderr).
/// </summary>
public static class CliApp
{
    /// <summary>Exit code of a successful command.</summary>
    public const int Success = 0;

    /// <summary>Exit code when the kernel answered with an error status (or could not be reached).</summary>
    public const int RpcFailure = 1;

    /// <summary>Exit code of a usage error (unknown command, missing or invalid option).</summary>
    public const int UsageError = 2;

    /// <summary>Parses <paramref name="args"/>, runs the command and returns its exit code.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors go.</param>
    /// <param name="cancellationToken">Cancels the RPC in flight (Ctrl+C).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(stdout, stderr);
        var root = new RootCommand("clawscale: administer and check a ClawScale kernel over gRPC (AdminService, RoutingService, DeliveryService, health).");
        root.Options.Add(context.Address);
        root.Options.Add(context.ApiKey);
        root.Options.Add(context.Output);
        root.Subcommands.Add(TenantCommands.Create(context));
        root.Subcommands.Add(KeyCommands.Create(context));
        root.Subcommands.Add(ChannelCommands.Create(context));
        root.Subcommands.Add(AgentCommands.Create(context));
        root.Subcommands.Add(BindingCommands.Create(context));
        root.Subcommands.Add(DeliveryCommands.Create(context));
        root.Subcommands.Add(TurnCommands.Create(context));
        root.Subcommands.Add(PluginCommands.Create(context));
        root.Subcommands.Add(CustomerCommands.Create(context));
        root.Subcommands.Add(JoinLinkCommands.Create(context));
        root.Subcommands.Add(ConversationCommands.Create(context));
        root.Subcommands.Add(WatchCommands.Create(context));
        root.Subcommands.Add(SendCommands.Create(context));
        root.Subcommands.Add(DoctorCommand.Create(context));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) await stderr.WriteLineAsync("error: " + error.Message).ConfigureAwait(false);
            await stderr.WriteLineAsync("Run 'clawscale --help' (or '<command> --help') for usage.").ConfigureAwait(false);
            return UsageError;
        }

        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }
}
