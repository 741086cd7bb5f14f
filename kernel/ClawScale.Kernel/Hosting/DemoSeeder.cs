using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Hosting;

/// <summary>
/// With <c>ClawScale:Demo</c> on (the Development default), makes sure a <c>demo</c> tenant exists with an
/// <c>echo</c> agent and a web chat channel bound to it, and logs the chat page's URL, so the whole flow can be tried
/// in a browser without any platform account.
/// </summary>
internal sealed partial class DemoSeeder(
    IServiceScopeFactory scopes,
    IOptions<ClawScaleOptions> options,
    KernelEndpoints endpoints,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DemoSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Demo) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        var secrets = scope.ServiceProvider.GetRequiredService<SecretProtector>();
        var generator = scope.ServiceProvider.GetRequiredService<ISecretGenerator>();
        var now = time.GetUtcNow().UtcDateTime;
        string NewId() => Guid.CreateVersion7(time.GetUtcNow()).ToString();

        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Slug == "demo", cancellationToken);
        if (tenant is null)
        {
            tenant = new TenantEntity { Id = NewId(), Slug = "demo", DisplayName = "Demo", CreatedAt = now, UpdatedAt = now };
            db.Tenants.Add(tenant);
        }

        var channel = await db.Channels.FirstOrDefaultAsync(c => c.TenantId == tenant.Id && c.Kind == "webchat", cancellationToken);
        if (channel is null)
        {
            channel = new ChannelEntity
            {
                Id = NewId(),
                TenantId = tenant.Id,
                Kind = "webchat",
                DisplayName = "Demo web chat",
                Ownership = ChannelOwnershipValue.Shared,
                Status = ChannelStatusValue.Pending,
                ConfigJson = Grpc.ProtoMapping.WriteMap(new Dictionary<string, string> { ["title"] = "ClawScale demo", ["welcome"] = "Hi! I am the echo agent: I repeat what you write. Try /help." }),
                WebhookSecretCiphertext = secrets.Protect(generator.NewToken(32)),
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Channels.Add(channel);
        }

        if (!await db.Agents.AnyAsync(a => a.TenantId == tenant.Id, cancellationToken))
        {
            var agent = new AgentEntity { Id = NewId(), TenantId = tenant.Id, Name = "echo", Kind = "echo", CreatedAt = now, UpdatedAt = now };
            db.Agents.Add(agent);
            db.AgentBindings.Add(new AgentBindingEntity { Id = NewId(), TenantId = tenant.Id, AgentId = agent.Id, CreatedAt = now });
        }

        await db.SaveChangesAsync(cancellationToken);
        var channelId = channel.Id;
        lifetime.ApplicationStarted.Register(() => LogDemo(logger, new Uri(endpoints.HttpAddress, $"/chat/{channelId}")));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Demo mode: chat with the echo agent at {Url}")]
    private static partial void LogDemo(ILogger logger, Uri url);
}
