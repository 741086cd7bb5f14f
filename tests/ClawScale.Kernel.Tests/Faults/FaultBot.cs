using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Telegram.Tests.Fakes;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Faults;

/// <summary>
/// A fault test's world, built only through AdminService: a tenant whose default agent is the echo plugin, and a Telegram
/// channel in webhook mode whose Bot API is a <see cref="FakeTelegramBotApi"/> on 127.0.0.1. Reads what the platform
/// received (replies by text) and what the kernel reports (turns and deliveries through AdminService).
/// </summary>
internal sealed class FaultBot
{
    public const string BotToken = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    public const string Secret = "faults_secret-0123456789abcdef";

    private FaultBot(FakeTelegramBotApi fake, string tenantId, string channelId)
    {
        Fake = fake;
        TenantId = tenantId;
        ChannelId = channelId;
    }

    public FakeTelegramBotApi Fake { get; }
    public string TenantId { get; }
    public string ChannelId { get; }

    /// <summary>Creates the tenant, echo agent (<paramref name="echoDelayMs"/> per turn), default binding and channel through <paramref name="kernel"/>.</summary>
    public static async Task<FaultBot> CreateAsync(KernelProcess kernel, FakeTelegramBotApi fake, int echoDelayMs = 0, IDictionary<string, string>? channelConfig = null)
    {
        var slug = "f" + Guid.NewGuid().ToString("N")[..12];
        var tenant = (await kernel.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = slug, DisplayName = "Faults " + slug }, kernel.AdminAuth)).Tenant;
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest
        {
            TenantId = tenant.Id, Name = "echo", Kind = "echo", Config = { ["delay_ms"] = echoDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        }, kernel.AdminAuth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { TenantId = tenant.Id, AgentId = agent.Id }, kernel.AdminAuth);
        var request = new CreateChannelRequest
        {
            TenantId = tenant.Id,
            Kind = "telegram",
            DisplayName = "Fault bot",
            Config = { ["mode"] = "webhook", ["api_base_url"] = fake.BaseUrl.ToString().TrimEnd('/') },
            Credentials = { ["bot_token"] = BotToken },
            WebhookSecret = Secret,
        };
        if (channelConfig is not null) request.Config.Add(channelConfig);
        var channel = (await kernel.Admin.CreateChannelAsync(request, kernel.AdminAuth)).Channel;
        // The kernel connects the channel (setWebhook) before Telegram would send anything.
        await Eventually.TrueAsync(() => fake.WebhookUrl is not null, "setWebhook", TimeSpan.FromSeconds(20));
        return new FaultBot(fake, tenant.Id, channel.Id);
    }

    /// <summary>sendMessage calls the fake answered ok, by text.</summary>
    public Dictionary<string, List<FakeTelegramCall>> DeliveredByText() =>
        Fake.CallsTo("sendMessage").Where(c => c.ErrorCode is null).GroupBy(c => c.Parameter("text") ?? "").ToDictionary(g => g.Key, g => g.ToList());

    /// <summary>Every sendMessage call (answered ok or not), by text.</summary>
    public Dictionary<string, List<FakeTelegramCall>> AttemptsByText() =>
        Fake.CallsTo("sendMessage").GroupBy(c => c.Parameter("text") ?? "").ToDictionary(g => g.Key, g => g.ToList());

    /// <summary>Waits until every planned update has at least one reply the fake answered ok.</summary>
    public Task WaitForRepliesAsync(IReadOnlyList<PlannedUpdate> plan, TimeSpan bound) =>
        Eventually.TrueAsync(
            () =>
            {
                var delivered = DeliveredByText();
                return plan.All(u => delivered.ContainsKey(u.Reply));
            },
            $"a reply to each of the {plan.Count} updates",
            bound);

    /// <summary>
    /// Waits until the tenant's pipeline is idle as AdminService reports it: no turn pending, running or awaiting a
    /// runtime, and no delivery pending, sending or failed (to be retried). After that nothing more can be sent.
    /// </summary>
    public Task WaitIdleAsync(KernelProcess kernel, TimeSpan bound) =>
        Eventually.TrueAsync(
            async () =>
            {
                foreach (var status in new[] { TurnStatus.Pending, TurnStatus.Running, TurnStatus.AwaitingRuntime })
                {
                    if ((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest { TenantId = TenantId, Status = status, PageSize = 1 }, kernel.AdminAuth)).Turns.Count > 0) return false;
                }

                foreach (var status in new[] { DeliveryStatus.Pending, DeliveryStatus.Sending, DeliveryStatus.Failed })
                {
                    if ((await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { TenantId = TenantId, Status = status, PageSize = 1 }, kernel.AdminAuth)).Deliveries.Count > 0) return false;
                }

                return true;
            },
            "the tenant's turns and deliveries to be finished",
            bound);

    /// <summary>All the tenant's deliveries (every page).</summary>
    public async Task<List<Protos.V1.Delivery>> DeliveriesAsync(KernelProcess kernel)
    {
        var all = new List<Protos.V1.Delivery>();
        var token = "";
        do
        {
            var page = await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { TenantId = TenantId, PageSize = 500, PageToken = token }, kernel.AdminAuth);
            all.AddRange(page.Deliveries);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return all;
    }

    /// <summary>All the tenant's turns (every page).</summary>
    public async Task<List<Turn>> TurnsAsync(KernelProcess kernel)
    {
        var all = new List<Turn>();
        var token = "";
        do
        {
            var page = await kernel.Admin.ListTurnsAsync(new ListTurnsRequest { TenantId = TenantId, PageSize = 500, PageToken = token }, kernel.AdminAuth);
            all.AddRange(page.Turns);
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return all;
    }
}
