using System.CommandLine;
using ClawScale.Cli.Output;
using ClawScale.Client;
using Google.Protobuf;
using Grpc.Core;

namespace ClawScale.Cli;

/// <summary>
/// The global options (<c>--address</c>, <c>--api-key</c>, <c>--output</c>), the output writers, and the one place
/// where a command's RPC runs and its failure becomes an exit code.
/// </summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr)
{
    /// <summary><c>--address</c>: the kernel's gRPC address; env <c>CLAWSCALE_ADDRESS</c>; default <c>http://127.0.0.1:4041</c>.</summary>
    public Option<string> Address { get; } = new("--address")
    {
        Description = "Kernel gRPC address (http:// for h2c, https:// for TLS). Env CLAWSCALE_ADDRESS.",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CLAWSCALE_ADDRESS") is { Length: > 0 } a ? a : ClawScaleClientOptions.DefaultAddress.ToString().TrimEnd('/'),
    };

    /// <summary>The environment variable read when <c>--api-key</c> is not given.</summary>
    public const string ApiKeyVariable = "CLAWSCALE_API_KEY";

    /// <summary>
    /// <c>--api-key</c>: the API key secret; when absent, env <c>CLAWSCALE_API_KEY</c> (read by <see cref="ResolveApiKey"/>).
    /// Deliberately without a default value: System.CommandLine prints defaults in <c>--help</c>, and a secret must never
    /// be printed.
    /// </summary>
    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "API key (csk_…). Env " + ApiKeyVariable + " when not given.",
        Recursive = true,
    };

    /// <summary><c>--output human|json</c>; default <c>human</c>.</summary>
    public Option<string> Output { get; } = CreateOutputOption();

    /// <summary>Where results go.</summary>
    public TextWriter Stdout { get; } = stdout;

    /// <summary>Where errors go.</summary>
    public TextWriter Stderr { get; } = stderr;

    private static Option<string> CreateOutputOption()
    {
        var option = new Option<string>("--output", "-o") { Description = "Output format: human (tables) or json (protobuf JSON).", Recursive = true, DefaultValueFactory = _ => "human" };
        option.AcceptOnlyFromAmong("human", "json");
        return option;
    }

    /// <summary>
    /// Sets <paramref name="command"/>'s action: runs <paramref name="call"/> with a client built from the global options,
    /// then prints the response as JSON or through <paramref name="human"/>. An <see cref="RpcException"/> prints
    /// <c>error: STATUS_NAME: message</c> on stderr and exits 1.
    /// </summary>
    public void Handle<TResponse>(Command command, Func<ParseResult, ClawScaleClient, CancellationToken, Task<TResponse>> call, Action<TResponse, TextWriter> human)
        where TResponse : IMessage
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed, async client =>
        {
            var response = await call(parsed, client, cancellationToken).ConfigureAwait(false);
            if (IsJson(parsed)) await Stdout.WriteLineAsync(Render.ToJson(response)).ConfigureAwait(false);
            else human(response, Stdout);
            return CliApp.Success;
        }));
    }

    /// <summary>
    /// Runs <paramref name="body"/> with a client built from the global options (see <see cref="CreateClient"/>) and
    /// returns its exit code. Invalid options (address, key) print <c>error: …</c> and exit 2; an
    /// <see cref="RpcException"/> that escapes <paramref name="body"/> prints <c>error: STATUS_NAME: message</c> and exits 1.
    /// </summary>
    /// <param name="parsed">The parsed command line.</param>
    /// <param name="body">The command's work; returns its exit code.</param>
    /// <param name="maxAttempts">The client's attempts for calls failing with UNAVAILABLE (1: no retry).</param>
    /// <param name="defaultDeadline">The deadline of unary calls; null keeps the client's default (30 s).</param>
    public async Task<int> RunAsync(ParseResult parsed, Func<ClawScaleClient, Task<int>> body, int? maxAttempts = null, TimeSpan? defaultDeadline = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        ClawScaleClient client;
        try
        {
            client = CreateClient(parsed, maxAttempts, defaultDeadline);
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException)
        {
            await Stderr.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return CliApp.UsageError;
        }

        using (client)
        {
            try
            {
                return await body(client).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                await Stderr.WriteLineAsync($"error: {StatusName(e.StatusCode)}: {e.Status.Detail}").ConfigureAwait(false);
                return CliApp.RpcFailure;
            }
        }
    }

    /// <summary>A client for <c>--address</c> with the key of <see cref="ResolveApiKey"/>.</summary>
    /// <param name="parsed">The parsed command line.</param>
    /// <param name="maxAttempts">Attempts for calls failing with UNAVAILABLE; null keeps the client's default (4).</param>
    /// <param name="defaultDeadline">The deadline of unary calls; null keeps the client's default (30 s).</param>
    /// <exception cref="UriFormatException"><c>--address</c> is not a URI.</exception>
    /// <exception cref="ArgumentException">The address or key is not valid for a client (every problem listed).</exception>
    public ClawScaleClient CreateClient(ParseResult parsed, int? maxAttempts = null, TimeSpan? defaultDeadline = null)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var options = new ClawScaleClientOptions
        {
            Address = new Uri(parsed.GetValue(Address)!, UriKind.Absolute),
            ApiKey = ResolveApiKey(parsed),
        };
        if (maxAttempts is { } attempts) options = options with { MaxAttempts = attempts };
        if (defaultDeadline is { } deadline) options = options with { DefaultDeadline = deadline };
        return new ClawScaleClient(options);
    }

    /// <summary>Whether <c>--output json</c> was chosen.</summary>
    public bool IsJson(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.GetValue(Output) == "json";
    }

    /// <summary><c>--api-key</c> when given, else <c>CLAWSCALE_API_KEY</c> when set and not empty, else null.</summary>
    public string? ResolveApiKey(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.GetValue(ApiKey) is { Length: > 0 } given ? given
            : Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
    }

    /// <summary>The canonical gRPC name of a status code (<c>UNAUTHENTICATED</c>, <c>NOT_FOUND</c>, …).</summary>
    public static string StatusName(StatusCode code) => Render.Enum(code).Replace('-', '_').ToUpperInvariant();
}
