using System.CommandLine;
using ClawScale.Cli.Output;
using ClawScale.Protos.V1;
using Grpc.Core;

namespace ClawScale.Cli.Commands;

/// <summary>
/// <c>watch deliveries</c>: follows <c>DeliveryService.WatchDeliveries</c> and prints every status change as one line
/// (or one compact protobuf JSON object per line with <c>-o json</c>) until Ctrl-C, which exits 0.
/// </summary>
public static class WatchCommands
{
    /// <summary>Builds the <c>watch</c> command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var watch = new Command("watch", "Follow changes as they happen, until Ctrl-C.");

        var tenant = Options.Tenant();
        var ids = new Option<string[]>("--delivery") { Description = "Only this delivery; repeat for several. Default: every delivery of the tenant." };
        var deliveries = new Command("deliveries", "Stream delivery status changes (DeliveryService.WatchDeliveries) until Ctrl-C.") { tenant, ids };
        deliveries.SetAction((parsed, cancellationToken) => context.RunAsync(parsed, async client =>
        {
            var request = new WatchDeliveriesRequest { TenantId = parsed.GetValue(tenant) ?? string.Empty };
            request.DeliveryIds.Add(parsed.GetValue(ids) ?? []);
            var json = context.IsJson(parsed);
            try
            {
                using var call = client.Delivery.WatchDeliveries(request, cancellationToken: cancellationToken);
                if (!json) await context.Stderr.WriteLineAsync("Watching deliveries; Ctrl-C to stop.").ConfigureAwait(false);
                while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    var d = call.ResponseStream.Current.Delivery;
                    await context.Stdout.WriteLineAsync(json ? Render.ToCompactJson(d) : Line(d)).ConfigureAwait(false);
                    await context.Stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                // The kernel ended the stream (for example on shutdown): say so, since a watch is meant to run until stopped.
                await context.Stderr.WriteLineAsync("error: the kernel ended the stream.").ConfigureAwait(false);
                return CliApp.RpcFailure;
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && (e is OperationCanceledException || e is RpcException { StatusCode: StatusCode.Cancelled }))
            {
                return CliApp.Success;
            }
        }));

        watch.Subcommands.Add(deliveries);
        return watch;
    }

    /// <summary>One human line per update: time of the change, status, ids, attempts, then the last error when there is one.</summary>
    internal static string Line(Delivery d)
    {
        var line = $"{Render.Time(d.UpdateTime ?? d.CreateTime)}  {Render.Enum(d.Status),-9}  {d.Id}  attempts={d.Attempts}  channel={d.ChannelId}  conversation={d.ConversationId}";
        if (d.LastError.Length > 0) line += "  error=" + Render.Cut(d.LastError.ReplaceLineEndings(" "), 120);
        return line;
    }
}
