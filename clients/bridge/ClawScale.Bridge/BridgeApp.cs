using System.CommandLine;
using ClawScale.Client;
using ClawScale.Client.Runtime;
using Grpc.Core;

namespace ClawScale.Bridge;

/// <summary>
/// The <c>clawscale-bridge</c> command line: connects as an external runtime and serves turns with a local command
/// until Ctrl+C. Exit codes: 0 stopped, 1 the kernel refused the runtime (status on stderr), 2 usage error.
/// </summary>
public static class BridgeApp
{
    /// <summary>Parses <paramref name="args"/> and runs the bridge until <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var address = new Option<string>("--address")
        {
            Description = "Kernel gRPC address. Env CLAWSCALE_ADDRESS.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CLAWSCALE_ADDRESS") is { Length: > 0 } a ? a : "http://127.0.0.1:4041",
        };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = "A runtime API key bound to the agents. Env CLAWSCALE_API_KEY.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CLAWSCALE_API_KEY"),
        };
        var agents = new Option<string[]>("--agent") { Description = "An agent id to serve (repeat; none: every agent of the key).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Option<string>("--command") { Description = "The command run per turn, for example \"claude -p\".", Required = true };
        var shell = new Option<bool>("--shell") { Description = "Run --command through /bin/sh -c (pipes, variables)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds one run may take (default 120).", DefaultValueFactory = _ => 120 };
        var workingDirectory = new Option<string?>("--working-directory") { Description = "Working directory of the command." };
        var name = new Option<string>("--runtime-name") { Description = "Name shown in the kernel's logs.", DefaultValueFactory = _ => "clawscale-bridge" };
        var root = new RootCommand("clawscale-bridge: answer a ClawScale agent's turns with a local command (stdin: the message; stdout: the reply).")
        {
            address, apiKey, agents, command, shell, timeout, workingDirectory, name,
        };

        var parsed = root.Parse(args);
        if (args.Any(a => a is "--help" or "-h" or "-?" or "--version"))
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken).ConfigureAwait(false);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) await stderr.WriteLineAsync("error: " + error.Message).ConfigureAwait(false);
            await stderr.WriteLineAsync("Run 'clawscale-bridge --help' for usage.").ConfigureAwait(false);
            return 2;
        }

        BridgeOptions bridge;
        ClawScaleClient client;
        try
        {
            var line = parsed.GetValue(command)!;
            if (parsed.GetValue(timeout) <= 0) throw new ArgumentException($"--timeout: {parsed.GetValue(timeout)} must be a positive number of seconds.");
            bridge = new BridgeOptions
            {
                Command = parsed.GetValue(shell) ? CommandSpec.Shell(line) : CommandSpec.Parse(line),
                Timeout = TimeSpan.FromSeconds(parsed.GetValue(timeout)),
                WorkingDirectory = parsed.GetValue(workingDirectory),
            };
            client = new ClawScaleClient(new ClawScaleClientOptions { Address = new Uri(parsed.GetValue(address)!, UriKind.Absolute), ApiKey = parsed.GetValue(apiKey) });
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException)
        {
            await stderr.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return 2;
        }

        using (client)
        {
            var handler = new BridgeTurnHandler(bridge);
            var worker = client.CreateRuntimeWorker(handler.HandleAsync, new RuntimeWorkerOptions
            {
                AgentIds = parsed.GetValue(agents) ?? [],
                RuntimeName = parsed.GetValue(name)!,
                OnDisconnected = e => stderr.WriteLine($"disconnected: {(e is RpcException r ? $"{r.StatusCode}: {r.Status.Detail}" : e.Message)}; reconnecting"),
            });
            _ = worker.FirstWelcome.ContinueWith(
                t => stdout.WriteLine($"connected: session {t.Result.SessionId}, agents {string.Join(",", t.Result.AgentIds)}"),
                CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            try
            {
                await worker.RunAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (RpcException e)
            {
                await stderr.WriteLineAsync($"error: {e.StatusCode}: {e.Status.Detail}").ConfigureAwait(false);
                return 1;
            }
        }
    }
}
