using System.Diagnostics;
using ClawScale.Cli.Output;
using ClawScale.Client;
using ClawScale.Protos.V1;
using Grpc.Core;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace ClawScale.Cli.Doctor;

/// <summary>
/// Runs the checks of <c>clawscale doctor</c> against one kernel with existing RPCs only: <c>grpc.health.v1.Health/Check</c>
/// for the server and each <c>clawscale.v1</c> service (the kernel's health follows its ASP.NET Core health checks,
/// where only the database check can be Unhealthy, so NOT_SERVING means the database), <c>AdminService.ListTenants</c>
/// for the key, <c>ListPlugins</c> (platform-admin), <c>ListChannels</c> and <c>ListDeliveries(status=dead)</c> per tenant.
/// Every RPC error becomes a check's outcome; none escapes.
/// </summary>
/// <param name="client">The client (retries off, a short default deadline).</param>
/// <param name="apiKeySource">Where the key came from (<c>--api-key</c>, <c>CLAWSCALE_API_KEY</c>), or null when there is none.</param>
/// <param name="tenantId">Only this tenant's channels and dead letters; null for every tenant the key can see.</param>
public sealed class DoctorRunner(ClawScaleClient client, string? apiKeySource, string? tenantId)
{
    /// <summary>Channel kinds the kernel serves itself, without a plugin (the API does not list them).</summary>
    public static readonly IReadOnlySet<string> BuiltInChannelKinds = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "webchat" };

    /// <summary>The services whose health the kernel reports (besides the server, <c>""</c>).</summary>
    public static readonly IReadOnlyList<string> Services =
    [
        AdminService.Descriptor.FullName, IdentityService.Descriptor.FullName, RoutingService.Descriptor.FullName,
        DeliveryService.Descriptor.FullName, RuntimeService.Descriptor.FullName,
    ];

    private const int MaxPages = 20;
    private const int PageSize = 500;

    /// <summary>Runs every check, in order; checks that depend on a failed one are <see cref="DoctorStatus.Skipped"/>.</summary>
    /// <param name="cancellationToken">Cancels the run (Ctrl-C).</param>
    /// <returns>The report.</returns>
    public async Task<DoctorReport> RunAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck> { Config() };
        var address = client.Options.Address.ToString().TrimEnd('/');

        var (connection, serverStatus) = await ConnectionAsync(address, cancellationToken).ConfigureAwait(false);
        checks.Add(connection);
        if (connection.Status == DoctorStatus.Failure)
        {
            foreach (var name in new[] { "health", "database", "auth", "plugins", "channels", "dead-letters" })
                checks.Add(Skip(name, "the kernel is not reachable"));
            return new DoctorReport(address, checks);
        }

        checks.Add(await HealthAsync(serverStatus, cancellationToken).ConfigureAwait(false));
        var (auth, tenants) = await AuthAsync(cancellationToken).ConfigureAwait(false);
        var (plugins, channelKinds, pluginsFailed) = await PluginsAsync(auth.Status == DoctorStatus.Failure, cancellationToken).ConfigureAwait(false);
        checks.Add(Database(serverStatus, pluginsFailed));
        checks.Add(auth);
        checks.Add(plugins);
        if (tenants is null)
        {
            checks.Add(Skip("channels", "the API key was not accepted"));
            checks.Add(Skip("dead-letters", "the API key was not accepted"));
        }
        else
        {
            checks.Add(await ChannelsAsync(tenants, channelKinds, cancellationToken).ConfigureAwait(false));
            checks.Add(await DeadLettersAsync(tenants, cancellationToken).ConfigureAwait(false));
        }

        return new DoctorReport(address, checks);
    }

    private DoctorCheck Config()
    {
        var address = client.Options.Address;
        var summary = $"address {address.ToString().TrimEnd('/')} ({(address.Scheme == Uri.UriSchemeHttps ? "TLS" : "h2c, plaintext")})";
        return apiKeySource is null
            ? new DoctorCheck
            {
                Name = "config", Status = DoctorStatus.Failure, Summary = summary + ", no API key",
                Hint = $"pass --api-key or set {CliContext.ApiKeyVariable} (the kernel writes its first platform-admin key to <data directory>/admin-api-key)",
            }
            : new DoctorCheck { Name = "config", Status = DoctorStatus.Ok, Summary = $"{summary}, API key from {apiKeySource}" };
    }

    private async Task<(DoctorCheck Check, ServingStatus? Server)> ConnectionAsync(string address, CancellationToken cancellationToken)
    {
        var health = new Health.HealthClient(client.CallInvoker);
        var watch = Stopwatch.StartNew();
        try
        {
            var response = await health.CheckAsync(new HealthCheckRequest { Service = string.Empty }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            return (new DoctorCheck { Name = "connection", Status = DoctorStatus.Ok, Summary = $"the kernel answers gRPC ({watch.ElapsedMilliseconds} ms)" }, response.Status);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            return (Fail("connection", $"{address} speaks gRPC but serves no grpc.health.v1.Health", "is this a ClawScale kernel's gRPC port (default 4041)? Fix --address or CLAWSCALE_ADDRESS"), null);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            var summary = e.StatusCode == StatusCode.DeadlineExceeded
                ? $"no answer from {address} within the timeout"
                : $"cannot reach {address}: {CliContext.StatusName(e.StatusCode)}: {OneLine(e.Status.Detail)}";
            return (Fail("connection", summary,
                "start the kernel, or fix --address / CLAWSCALE_ADDRESS: the gRPC port (default 4041), http:// for plaintext h2c, https:// when the kernel uses TLS"), null);
        }
    }

    private async Task<DoctorCheck> HealthAsync(ServingStatus? server, CancellationToken cancellationToken)
    {
        var health = new Health.HealthClient(client.CallInvoker);
        var statuses = new List<(string Service, string Status)> { ("server", Name(server)) };
        foreach (var service in Services)
        {
            try
            {
                var response = await health.CheckAsync(new HealthCheckRequest { Service = service }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
                statuses.Add((service, Name(response.Status)));
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                statuses.Add((service, e.StatusCode == StatusCode.NotFound ? "unknown to the kernel's health service" : CliContext.StatusName(e.StatusCode)));
            }
        }

        var bad = statuses.Where(s => s.Status != "SERVING").ToList();
        if (bad.Count == 0)
            return new DoctorCheck { Name = "health", Status = DoctorStatus.Ok, Summary = $"SERVING: server and {Services.Count} services ({string.Join(", ", Services.Select(Short))})" };
        var onlyUnknown = bad.All(s => s.Status == "UNKNOWN");
        return new DoctorCheck
        {
            Name = "health",
            Status = onlyUnknown ? DoctorStatus.Warning : DoctorStatus.Failure,
            Summary = $"{bad.Count} of {statuses.Count} not SERVING",
            Details = bad.Select(s => $"{Short(s.Service)}: {s.Status}").ToList(),
            Hint = onlyUnknown
                ? "the kernel has not published its first health report yet; run doctor again in a few seconds"
                : "see the kernel's log and its /healthz page on the HTTP port (default 4040)",
        };
    }

    private static DoctorCheck Database(ServingStatus? server, bool pluginsFailed) => server switch
    {
        ServingStatus.Serving => new DoctorCheck
        {
            Name = "database", Status = DoctorStatus.Ok,
            Summary = "the kernel's health checks pass, its database check included (migrations run before the kernel serves)",
        },
        ServingStatus.NotServing => Fail("database", "the kernel reports NOT_SERVING: its database check fails"
                + (pluginsFailed ? " (plugins failed too, see below)" : string.Empty),
            "check ClawScale:Database:ConnectionString (PostgreSQL) or the data directory's disk (SQLite), and the kernel's log"),
        _ => new DoctorCheck
        {
            Name = "database", Status = DoctorStatus.Warning, Summary = $"not known yet (server health {Name(server)})",
            Hint = "run doctor again in a few seconds",
        },
    };

    /// <summary>Checks the key with ListTenants and returns the tenants to inspect (null when the key was refused).</summary>
    private async Task<(DoctorCheck Check, List<Tenant>? Tenants)> AuthAsync(CancellationToken cancellationToken)
    {
        try
        {
            List<Tenant> tenants;
            if (tenantId is { Length: > 0 })
            {
                tenants = [(await client.Admin.GetTenantAsync(new GetTenantRequest { TenantId = tenantId }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false)).Tenant];
            }
            else
            {
                tenants = [];
                var token = string.Empty;
                for (var page = 0; page < MaxPages; page++)
                {
                    var response = await client.Admin.ListTenantsAsync(new ListTenantsRequest { PageSize = PageSize, PageToken = token }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
                    tenants.AddRange(response.Tenants);
                    token = response.NextPageToken;
                    if (token.Length == 0) break;
                }
            }

            return (new DoctorCheck { Name = "auth", Status = DoctorStatus.Ok, Summary = $"the API key is accepted by AdminService ({Count(tenants.Count, "tenant")} visible)" }, tenants);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            var hint = e.StatusCode switch
            {
                StatusCode.Unauthenticated => apiKeySource is null
                    ? $"pass --api-key or set {CliContext.ApiKeyVariable}"
                    : "the key is unknown or revoked: use a current platform-admin or tenant-admin key (clawscale keys create, or <data directory>/admin-api-key)",
                StatusCode.PermissionDenied => "doctor needs a platform-admin or tenant-admin key (a runtime key cannot use AdminService)",
                StatusCode.NotFound => "the tenant given with --tenant does not exist or belongs to another key's scope",
                _ => "see the kernel's log",
            };
            return (Fail("auth", $"AdminService refused the key: {CliContext.StatusName(e.StatusCode)}: {OneLine(e.Status.Detail)}", hint), null);
        }
    }

    /// <summary>ListPlugins: every failed plugin is a failure; a tenant-admin key skips the check.</summary>
    private async Task<(DoctorCheck Check, HashSet<string>? ChannelKinds, bool Failed)> PluginsAsync(bool authFailed, CancellationToken cancellationToken)
    {
        if (authFailed) return (Skip("plugins", "the API key was not accepted"), null, false);
        List<Plugin> plugins;
        try
        {
            plugins = [.. (await client.Admin.ListPluginsAsync(new ListPluginsRequest(), cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false)).Plugins];
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.PermissionDenied)
        {
            return (Skip("plugins", "listing plugins needs a platform-admin key"), null, false);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return (Fail("plugins", $"ListPlugins failed: {CliContext.StatusName(e.StatusCode)}: {OneLine(e.Status.Detail)}", "see the kernel's log"), null, false);
        }

        var loaded = plugins.Where(p => p.State == PluginState.Loaded).ToList();
        var failed = plugins.Where(p => p.State == PluginState.Failed).ToList();
        var kinds = loaded.SelectMany(p => p.ChannelKinds).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var summary = $"{loaded.Count} loaded ({string.Join(", ", loaded.Select(p => p.Name))})";
        var unloaded = plugins.Count - loaded.Count - failed.Count;
        if (unloaded > 0) summary += $", {unloaded} unloaded";
        if (failed.Count > 0)
        {
            return (new DoctorCheck
            {
                Name = "plugins", Status = DoctorStatus.Failure, Summary = $"{failed.Count} failed, " + summary,
                Details = failed.Select(p => $"{p.Name} ({p.Source}): {OneLine(p.Error)}").ToList(),
                Hint = "fix the plugin (or its entry in plugins.json), then: clawscale plugins reload",
            }, kinds, true);
        }

        return loaded.Count == 0
            ? (new DoctorCheck
            {
                Name = "plugins", Status = DoctorStatus.Warning, Summary = "no plugin loaded",
                Hint = "list plugins in plugins.json (ClawScale:PluginsManifest) or drop their folders into <data directory>/plugins",
            }, kinds, false)
            : (new DoctorCheck { Name = "plugins", Status = DoctorStatus.Ok, Summary = summary }, kinds, false);
    }

    /// <summary>
    /// Every channel of the tenants: status ERROR or a last error on a live channel is a failure, as is a live channel
    /// whose kind no loaded plugin serves; PENDING is a warning; DISCONNECTED and ARCHIVED were an admin's choice.
    /// </summary>
    private async Task<DoctorCheck> ChannelsAsync(List<Tenant> tenants, HashSet<string>? channelKinds, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var warnings = new List<string>();
        var byStatus = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        foreach (var tenant in tenants)
        {
            List<Channel> channels;
            try
            {
                channels = await ListChannelsAsync(tenant.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                problems.Add($"{tenant.Slug}: ListChannels failed: {CliContext.StatusName(e.StatusCode)}: {OneLine(e.Status.Detail)}");
                continue;
            }

            foreach (var channel in channels)
            {
                total++;
                var status = Render.Enum(channel.Status);
                byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
                var live = channel.Status is ChannelStatus.Connected or ChannelStatus.Pending or ChannelStatus.Error;
                var name = $"{tenant.Slug}/{channel.DisplayName} ({channel.Kind}, {channel.Id})";
                if (channel.Status == ChannelStatus.Error || (live && channel.LastError.Length > 0))
                    problems.Add($"{name}: {status}: {(channel.LastError.Length > 0 ? OneLine(channel.LastError) : "no error text")}");
                else if (live && channelKinds is not null && !channelKinds.Contains(channel.Kind) && !BuiltInChannelKinds.Contains(channel.Kind))
                    problems.Add($"{name}: no loaded plugin serves kind '{channel.Kind}'");
                else if (channel.Status == ChannelStatus.Pending)
                    warnings.Add($"{name}: pending (not connected yet)");
            }
        }

        var summary = total == 0
            ? $"no channels in {Count(tenants.Count, "tenant")}"
            : $"{Count(total, "channel")} in {Count(tenants.Count, "tenant")}: {string.Join(", ", byStatus.Select(p => $"{p.Value} {p.Key}"))}";
        if (problems.Count > 0)
        {
            return new DoctorCheck
            {
                Name = "channels", Status = DoctorStatus.Failure, Summary = $"{problems.Count} in trouble; " + summary, Details = [.. problems, .. warnings],
                Hint = "fix the credentials or config (clawscale channels update <id> …), or stop the channel (clawscale channels update <id> --status disconnected)",
            };
        }

        return warnings.Count > 0
            ? new DoctorCheck { Name = "channels", Status = DoctorStatus.Warning, Summary = summary, Details = warnings, Hint = "a channel stays pending until its plugin has connected it; see clawscale channels get <id>" }
            : new DoctorCheck { Name = "channels", Status = DoctorStatus.Ok, Summary = summary };
    }

    /// <summary>Counts dead deliveries per tenant (up to 10 000 per tenant); any is a failure.</summary>
    private async Task<DoctorCheck> DeadLettersAsync(List<Tenant> tenants, CancellationToken cancellationToken)
    {
        var details = new List<string>();
        var total = 0;
        var capped = false;
        var errors = new List<string>();
        foreach (var tenant in tenants)
        {
            try
            {
                var (count, more) = await CountDeadAsync(tenant.Id, cancellationToken).ConfigureAwait(false);
                if (count == 0) continue;
                total += count;
                capped |= more;
                details.Add($"{tenant.Slug} ({tenant.Id}): {(more ? "at least " : string.Empty)}{count} — clawscale deliveries list --tenant {tenant.Id} --status dead");
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                errors.Add($"{tenant.Slug}: ListDeliveries failed: {CliContext.StatusName(e.StatusCode)}: {OneLine(e.Status.Detail)}");
            }
        }

        if (total == 0 && errors.Count == 0)
            return new DoctorCheck { Name = "dead-letters", Status = DoctorStatus.Ok, Summary = $"none waiting in {Count(tenants.Count, "tenant")}" };
        return new DoctorCheck
        {
            Name = "dead-letters",
            Status = DoctorStatus.Failure,
            Summary = total == 0 ? "could not be counted" : $"{(capped ? "at least " : string.Empty)}{Count(total, "dead letter")} waiting",
            Details = [.. details, .. errors],
            Hint = "read each one's last error, fix the cause (usually the channel), then: clawscale deliveries retry <delivery-id>",
        };
    }

    private async Task<List<Channel>> ListChannelsAsync(string tenant, CancellationToken cancellationToken)
    {
        var channels = new List<Channel>();
        var token = string.Empty;
        for (var page = 0; page < MaxPages; page++)
        {
            var response = await client.Admin.ListChannelsAsync(new ListChannelsRequest { TenantId = tenant, PageSize = PageSize, PageToken = token }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            channels.AddRange(response.Channels);
            token = response.NextPageToken;
            if (token.Length == 0) break;
        }

        return channels;
    }

    private async Task<(int Count, bool More)> CountDeadAsync(string tenant, CancellationToken cancellationToken)
    {
        var count = 0;
        var token = string.Empty;
        for (var page = 0; page < MaxPages; page++)
        {
            var response = await client.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { TenantId = tenant, Status = DeliveryStatus.Dead, PageSize = PageSize, PageToken = token }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            count += response.Deliveries.Count;
            token = response.NextPageToken;
            if (token.Length == 0) return (count, false);
        }

        return (count, true);
    }

    private static DoctorCheck Fail(string name, string summary, string hint) => new() { Name = name, Status = DoctorStatus.Failure, Summary = summary, Hint = hint };

    private static DoctorCheck Skip(string name, string why) => new() { Name = name, Status = DoctorStatus.Skipped, Summary = "skipped: " + why };

    private static string Name(ServingStatus? status) => status switch
    {
        ServingStatus.Serving => "SERVING",
        ServingStatus.NotServing => "NOT_SERVING",
        ServingStatus.ServiceUnknown => "SERVICE_UNKNOWN",
        null => "no answer",
        _ => "UNKNOWN",
    };

    private static string Short(string service) => service.StartsWith("clawscale.v1.", StringComparison.Ordinal) ? service["clawscale.v1.".Length..] : service;

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? string.Empty : "s")}";

    private static string OneLine(string text) => Render.Cut(text.ReplaceLineEndings(" "), 200);
}
