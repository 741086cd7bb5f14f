using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline.Delivery;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using AttachmentKind = ClawScale.Plugins.Messages.AttachmentKind;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>The DELIVER stage through the real host and database, with a fake channel adapter; SQLite and PostgreSQL.</summary>
public abstract class DeliveryWorkerTests(DeliveryKernelFixture fixture)
{
    [SkippableFact]
    public async Task Pending_delivery_is_sent_once_to_its_route_and_marked_delivered()
    {
        var s = await fixture.ScenarioAsync();
        var (route, chat) = await s.RouteAsync(thread: "thread-7");
        var attachment = new MessageAttachment { Kind = AttachmentKind.Image, Url = "https://example.com/a.png", MimeType = "image/png", Data = new byte[] { 1, 2, 3 } };
        var enqueued = await s.EnqueueAsync(route, "hello", attachments: [attachment], replyTo: "pm-41", properties: new Dictionary<string, string> { ["parse_mode"] = "HTML" });
        Assert.Equal(DeliveryEnqueueStatus.Created, enqueued.Status);
        var id = enqueued.Delivery!.Id;

        var row = await s.WaitForAsync(id, DeliveryStatusValue.Delivered);
        Assert.Equal("pm-" + id, row.ProviderMessageId);
        Assert.NotNull(row.DeliveredAt);
        Assert.Equal(1, row.Attempts);

        var sent = Assert.Single(s.Adapter.SendsTo(chat)).Message;
        Assert.Equal(id, sent.DeliveryId);
        Assert.Equal(enqueued.Delivery.IdempotencyKey, sent.IdempotencyKey);
        Assert.Equal("thread-7", sent.ExternalThreadId);
        Assert.Equal("hello", sent.Text);
        Assert.Equal("pm-41", sent.ReplyToPlatformMessageId);
        Assert.Equal(1, sent.Attempt);
        Assert.Equal("HTML", sent.Properties["parse_mode"]);
        var a = Assert.Single(sent.Attachments);
        Assert.Equal(AttachmentKind.Image, a.Kind);
        Assert.Equal("https://example.com/a.png", a.Url);
        Assert.Equal(new byte[] { 1, 2, 3 }, a.Data!.Value.ToArray());

        var listed = await s.Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { Status = DeliveryStatus.Delivered }, KernelHost.Auth(s.TenantKey));
        var proto = Assert.Single(listed.Deliveries);
        Assert.Equal("pm-" + id, proto.ProviderMessageId);
        Assert.Equal("https://example.com/a.png", Assert.Single(proto.Attachments).Url);
        s.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Order_per_route_is_kept_even_when_the_first_is_retried()
    {
        var s = await fixture.ScenarioAsync();
        var (route, chat) = await s.RouteAsync();
        var first = true;
        s.Adapter.Scripts[chat] = (m, _) =>
        {
            if (m.Text == "one" && first)
            {
                first = false;
                return ValueTask.FromResult(SendResult.Retry("busy"));
            }

            return ValueTask.FromResult(SendResult.Delivered("pm-" + m.DeliveryId));
        };
        var one = await s.EnqueueIdAsync(route, "one");
        var two = await s.EnqueueIdAsync(route, "two");
        var three = await s.EnqueueIdAsync(route, "three");

        await s.WaitForAsync(three, DeliveryStatusValue.Delivered);
        Assert.Equal(["one", "one", "two", "three"], s.Adapter.SendsTo(chat).Select(x => x.Message.Text));
        Assert.Equal(2, (await s.GetAsync(one)).Attempts);
        Assert.Equal(DeliveryStatusValue.Delivered, (await s.GetAsync(two)).Status);
        s.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task A_route_with_more_queued_deliveries_than_a_claim_page_does_not_hold_up_other_routes()
    {
        var s = await fixture.ScenarioAsync();
        var (routeA, chatA) = await s.RouteAsync();
        var (routeB, chatB) = await s.RouteAsync();
        // Route A's head waits an hour for its retry; everything queued behind it is due but blocked.
        s.Adapter.Scripts[chatA] = (m, _) => ValueTask.FromResult(SendResult.Retry("429 Too Many Requests", TimeSpan.FromHours(1)));
        var head = await s.EnqueueIdAsync(routeA, "head");
        await s.WaitForAsync(head, DeliveryStatusValue.Failed);
        var queued = DeliveryClaims.PageSize + 20;
        for (var i = 0; i < queued; i++) await s.EnqueueIdAsync(routeA, $"queued {i}");

        // Route B's delivery is due after all of them: found on a later page of the claim's scan.
        var b = await s.EnqueueIdAsync(routeB, "other chat");
        await s.WaitForAsync(b, DeliveryStatusValue.Delivered);
        Assert.Equal(["head"], s.Adapter.SendsTo(chatA).Select(x => x.Message.Text));
        Assert.Single(s.Adapter.SendsTo(chatB));
        s.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Different_routes_are_sent_in_parallel()
    {
        var s = await fixture.ScenarioAsync();
        var (routeA, chatA) = await s.RouteAsync();
        var (routeB, chatB) = await s.RouteAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s.Adapter.Scripts[chatA] = async (m, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return SendResult.Delivered("pm-a");
        };
        var a = await s.EnqueueIdAsync(routeA, "slow");
        await Scenario.Until(() => Task.FromResult(s.Adapter.SendsTo(chatA).Count == 1), "route A's send to start");
        var b = await s.EnqueueIdAsync(routeB, "fast");

        await s.WaitForAsync(b, DeliveryStatusValue.Delivered);
        Assert.Equal(DeliveryStatusValue.Sending, (await s.GetAsync(a)).Status);
        release.SetResult();
        await s.WaitForAsync(a, DeliveryStatusValue.Delivered);
        Assert.Single(s.Adapter.SendsTo(chatB));
        s.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Retry_after_from_the_platform_is_honoured_exactly_even_beyond_the_maximum_backoff()
    {
        var s = await fixture.ScenarioAsync();
        var (route, chat) = await s.RouteAsync();
        var retryAfter = TimeSpan.FromSeconds(2);
        var failures = 0;
        s.Adapter.Scripts[chat] = (m, _) => ValueTask.FromResult(
            Interlocked.Increment(ref failures) == 1 ? SendResult.Retry("429 Too Many Requests", retryAfter) : SendResult.Delivered("pm-ok"));
        var id = await s.EnqueueIdAsync(route, "x");

        var failed = await s.WaitForAsync(id, DeliveryStatusValue.Failed);
        Assert.Equal(retryAfter, failed.NextAttemptAt - failed.UpdatedAt); // exact: not capped at RetryMaxDelay (1 s), no jitter below it
        Assert.Equal("429 Too Many Requests", failed.LastError);

        await s.WaitForAsync(id, DeliveryStatusValue.Delivered);
        var sends = s.Adapter.SendsTo(chat);
        Assert.Equal(2, sends.Count);
        Assert.True(sends[1].At - sends[0].At >= retryAfter, $"retried after {(sends[1].At - sends[0].At).TotalMilliseconds} ms");
        Assert.True(sends[1].At.UtcDateTime >= failed.NextAttemptAt);
        Assert.Equal(2, sends[1].Message.Attempt);
        s.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Transient_failures_back_off_exponentially_and_the_delivery_is_dead_after_max_attempts()
    {
        var s = await fixture.ScenarioAsync();
        var (route, chat) = await s.RouteAsync();
        s.Adapter.Scripts[chat] = (m, _) => m.Attempt == 2
            ? throw new InvalidOperationException("socket closed")
            : ValueTask.FromResult(SendResult.Retry("503 Service Unavailable"));
        var id = await s.EnqueueIdAsync(route, "x");

        var dead = await s.WaitForAsync(id, DeliveryStatusValue.Dead);
        Assert.Equal(3, dead.Attempts);
        Assert.Equal("503 Service Unavailable", dead.LastError);
        var sends = s.Adapter.SendsTo(chat);
        Assert.Equal([1, 2, 3], sends.Select(x => x.Message.Attempt));
        // Base 200 ms, doubled each attempt, no jitter (FixedJitter): ≥ 200 ms, then ≥ 400 ms.
        Assert.True(sends[1].At - sends[0].At >= TimeSpan.FromMilliseconds(200));
        Assert.True(sends[2].At - sends[1].At >= TimeSpan.FromMilliseconds(400));
        // The dead-letter log line follows the status update; wait for it rather than racing it.
        await Eventually.TrueAsync(() => s.Kernel.Logs.Entries.Any(e => e.EventId.Id == 3003 && e.Message.Contains(id, StringComparison.Ordinal)), "the dead-letter log entry");
        Assert.Contains(s.Kernel.Logs.Entries, e => e.EventId.Id == 3002 && e.Message.Contains("socket closed", StringComparison.Ordinal));
        s.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Permanent_failure_is_dead_at_once_and_does_not_block_the_route()
    {
        var s = await fixture.ScenarioAsync();
        var (route, chat) = await s.RouteAsync();
        s.Adapter.Scripts[chat] = (m, _) => ValueTask.FromResult(m.Text == "bad" ? SendResult.Permanent("400 Bad Request: chat not found") : SendResult.Delivered("pm-ok"));
        var bad = await s.EnqueueIdAsync(route, "bad");
        var good = await s.EnqueueIdAsync(route, "good");

        await s.WaitForAsync(good, DeliveryStatusValue.Delivered);
        var dead = await s.GetAsync(bad);
        Assert.Equal(DeliveryStatusValue.Dead, dead.Status);
        Assert.Equal(1, dead.Attempts);
        Assert.Equal("400 Bad Request: chat not found", dead.LastError);
        Assert.Equal(1, s.Adapter.SendCount(bad));
        s.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task A_missing_channel_adapter_is_retried_with_the_problem_and_dead_after_max_attempts()
    {
        var s = await fixture.ScenarioAsync(registerChannel: false);
        var (route, chat) = await s.RouteAsync();
        var id = await s.EnqueueIdAsync(route, "x");

        var dead = await s.WaitForAsync(id, DeliveryStatusValue.Dead);
        Assert.Equal(3, dead.Attempts);
        Assert.Contains("not available (fake registry)", dead.LastError);
        Assert.Empty(s.Adapter.SendsTo(chat));
        s.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task RetryDelivery_revives_a_dead_delivery_on_the_same_route_and_it_is_delivered_once()
    {
        var s = await fixture.ScenarioAsync();
        var (route, chat) = await s.RouteAsync();
        var blocked = true;
        s.Adapter.Scripts[chat] = (m, _) => ValueTask.FromResult(Volatile.Read(ref blocked) ? SendResult.Permanent("403 Forbidden: bot was blocked by the user") : SendResult.Delivered("pm-revived"));
        var id = await s.EnqueueIdAsync(route, "x");
        await s.WaitForAsync(id, DeliveryStatusValue.Dead);
        var auth = KernelHost.Auth(s.TenantKey);

        Volatile.Write(ref blocked, false);
        var revived = (await s.Kernel.Admin.RetryDeliveryAsync(new RetryDeliveryRequest { DeliveryId = id }, auth)).Delivery;
        Assert.Equal(id, revived.Id);
        Assert.Equal(route, revived.DeliveryRouteId);
        Assert.Contains(revived.Status, new[] { DeliveryStatus.Pending, DeliveryStatus.Sending, DeliveryStatus.Delivered });
        Assert.Equal("403 Forbidden: bot was blocked by the user", revived.LastError);

        var row = await s.WaitForAsync(id, DeliveryStatusValue.Delivered);
        Assert.Equal("pm-revived", row.ProviderMessageId);
        Assert.Equal(1, row.Attempts);
        var sends = s.Adapter.SendsTo(chat);
        Assert.Equal(2, sends.Count); // the refused one and the delivered one
        Assert.All(sends, x => Assert.Equal(chat, x.Message.ExternalChatId));

        await RpcAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => s.Kernel.Admin.RetryDeliveryAsync(new RetryDeliveryRequest { DeliveryId = id }, auth).ResponseAsync, "already delivered");
        var (_, otherKey) = await s.Kernel.CreateTenantAsync();
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => s.Kernel.Admin.RetryDeliveryAsync(new RetryDeliveryRequest { DeliveryId = id }, KernelHost.Auth(otherKey)).ResponseAsync);
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => s.Kernel.Admin.RetryDeliveryAsync(new RetryDeliveryRequest(), auth).ResponseAsync, "delivery_id");
        s.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task ListDeliveries_filters_by_status_newest_first_with_paging()
    {
        var s = await fixture.ScenarioAsync();
        var (route1, chat1) = await s.RouteAsync();
        var (route2, _) = await s.RouteAsync();
        var (route3, _) = await s.RouteAsync();
        s.Adapter.Scripts[chat1] = (_, _) => ValueTask.FromResult(SendResult.Permanent("nope"));
        var dead = await s.EnqueueIdAsync(route1, "dead");
        var ok1 = await s.EnqueueIdAsync(route2, "ok1");
        var ok2 = await s.EnqueueIdAsync(route3, "ok2");
        await s.WaitForAsync(dead, DeliveryStatusValue.Dead);
        await s.WaitForAsync(ok1, DeliveryStatusValue.Delivered);
        await s.WaitForAsync(ok2, DeliveryStatusValue.Delivered);
        var auth = KernelHost.Auth(s.TenantKey);

        var deadOnly = await s.Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { Status = DeliveryStatus.Dead }, auth);
        Assert.Equal([dead], deadOnly.Deliveries.Select(d => d.Id));
        Assert.Equal("nope", deadOnly.Deliveries[0].LastError);

        var delivered = await s.Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { Status = DeliveryStatus.Delivered }, auth);
        Assert.Equal([ok2, ok1], delivered.Deliveries.Select(d => d.Id));

        var seen = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await s.Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { PageSize = 1, PageToken = token }, auth);
            Assert.True(page.Deliveries.Count <= 1);
            seen.AddRange(page.Deliveries.Select(d => d.Id));
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        Assert.Equal([ok2, ok1, dead], seen);

        var byAdmin = await s.Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { TenantId = s.TenantId }, s.Kernel.AdminAuth);
        Assert.Equal(3, byAdmin.Deliveries.Count);
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => s.Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), s.Kernel.AdminAuth).ResponseAsync, "tenant_id");
        s.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task An_expired_lease_is_taken_over_and_delivered_exactly_once()
    {
        var s = await fixture.ScenarioAsync();
        var (route, chat) = await s.RouteAsync();
        var id = Guid.CreateVersion7().ToString();
        var now = DateTime.UtcNow;
        await using (var scope = s.Kernel.App.Services.CreateAsyncScope())
        {
            // As left by a kernel that crashed while sending: claimed, lease expired a minute ago.
            var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
            db.OutboundDeliveries.Add(new OutboundDeliveryEntity
            {
                Id = id, TenantId = s.TenantId, ChannelId = s.ChannelId, DeliveryRouteId = route, IdempotencyKey = "crashed-" + id,
                PayloadHash = DeliveryWriter.PayloadHash(route, "after crash", "[]"), Text = "after crash", AttachmentsJson = "[]", PropertiesJson = "{}",
                Status = DeliveryStatusValue.Sending, Attempts = 1, NextAttemptAt = now.AddMinutes(-2), ClaimedBy = "crashed-kernel",
                ClaimedUntil = now.AddMinutes(-1), CreatedAt = now.AddMinutes(-2), UpdatedAt = now.AddMinutes(-2),
            });
            await db.SaveChangesAsync();
        }

        var row = await s.WaitForAsync(id, DeliveryStatusValue.Delivered);
        Assert.Equal(2, row.Attempts);
        Assert.NotEqual("crashed-kernel", row.ClaimedBy);
        var sent = Assert.Single(s.Adapter.SendsTo(chat));
        Assert.Equal(2, sent.Message.Attempt);
        Assert.Equal("after crash", sent.Message.Text);
        s.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task A_live_lease_is_not_taken_over()
    {
        var s = await fixture.ScenarioAsync();
        var (route, chat) = await s.RouteAsync();
        var id = Guid.CreateVersion7().ToString();
        var now = DateTime.UtcNow;
        await using (var scope = s.Kernel.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
            db.OutboundDeliveries.Add(new OutboundDeliveryEntity
            {
                Id = id, TenantId = s.TenantId, ChannelId = s.ChannelId, DeliveryRouteId = route, IdempotencyKey = "live-" + id,
                PayloadHash = "x", Text = "held", AttachmentsJson = "[]", PropertiesJson = "{}",
                Status = DeliveryStatusValue.Sending, Attempts = 1, NextAttemptAt = now, ClaimedBy = "other-kernel",
                ClaimedUntil = now.AddMinutes(5), CreatedAt = now, UpdatedAt = now,
            });
            await db.SaveChangesAsync();
        }

        // A later delivery of the same route waits behind it; one on another route goes out.
        var later = await s.EnqueueIdAsync(route, "later");
        var (other, _) = await s.RouteAsync();
        var probe = await s.EnqueueIdAsync(other, "probe");
        await s.WaitForAsync(probe, DeliveryStatusValue.Delivered);
        Assert.Empty(s.Adapter.SendsTo(chat));
        Assert.Equal(DeliveryStatusValue.Pending, (await s.GetAsync(later)).Status);
        Assert.Equal("other-kernel", (await s.GetAsync(id)).ClaimedBy);
        s.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Channel_config_limits_concurrent_sends()
    {
        var s = await fixture.ScenarioAsync(channelConfig: new Dictionary<string, string> { ["max_concurrent_sends"] = "2" });
        var current = 0;
        var max = 0;
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var (route, chat) = await s.RouteAsync();
            s.Adapter.Scripts[chat] = async (m, ct) =>
            {
                var now = Interlocked.Increment(ref current);
                int seen;
                while ((seen = Volatile.Read(ref max)) < now && Interlocked.CompareExchange(ref max, now, seen) != seen)
                {
                }

                await Task.Delay(100, ct); // the platform's latency
                Interlocked.Decrement(ref current);
                return SendResult.Delivered("pm");
            };
            ids.Add(await s.EnqueueIdAsync(route, "m" + i));
        }

        foreach (var id in ids) await s.WaitForAsync(id, DeliveryStatusValue.Delivered);
        Assert.InRange(max, 1, 2);
        s.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task EnqueueAsync_is_idempotent_per_tenant_and_detects_conflicting_payloads()
    {
        var s = await fixture.ScenarioAsync();
        var (route, chat) = await s.RouteAsync();
        var key = "reply-" + Guid.NewGuid().ToString("N");
        var first = await s.EnqueueAsync(route, "hello", key);
        var again = await s.EnqueueAsync(route, "hello", key);
        var conflict = await s.EnqueueAsync(route, "different", key);
        Assert.Equal(DeliveryEnqueueStatus.Created, first.Status);
        Assert.Equal(DeliveryEnqueueStatus.Existing, again.Status);
        Assert.Equal(first.Delivery!.Id, again.Delivery!.Id);
        Assert.Equal(DeliveryEnqueueStatus.Conflict, conflict.Status);
        Assert.Equal(first.Delivery.Id, conflict.Delivery!.Id);

        // Concurrent callers with one key store one row.
        var (route2, chat2) = await s.RouteAsync();
        var key2 = "race-" + Guid.NewGuid().ToString("N");
        var racers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => s.EnqueueAsync(route2, "same", key2)));
        Assert.Single(racers, r => r.Status == DeliveryEnqueueStatus.Created);
        Assert.Single(racers.Select(r => r.Delivery!.Id).Distinct());

        // Keys are scoped to the tenant; another tenant's route is not found.
        var other = await fixture.ScenarioAsync();
        var (otherRoute, _) = await other.RouteAsync();
        Assert.Equal(DeliveryEnqueueStatus.Created, (await other.EnqueueAsync(otherRoute, "hello", key)).Status);
        Assert.Equal(DeliveryEnqueueStatus.RouteNotFound, (await s.EnqueueAsync(otherRoute, "hello", "k2")).Status);

        await s.WaitForAsync(first.Delivery.Id, DeliveryStatusValue.Delivered);
        await s.WaitForAsync(racers[0].Delivery!.Id, DeliveryStatusValue.Delivered);
        Assert.Single(s.Adapter.SendsTo(chat));
        Assert.Single(s.Adapter.SendsTo(chat2));
        s.AssertNoUnexpectedErrors();
    }
}

public sealed class DeliveryWorkerSqliteTests(SqliteDeliveryKernelFixture fixture) : DeliveryWorkerTests(fixture), IClassFixture<SqliteDeliveryKernelFixture>;

public sealed class DeliveryWorkerPostgresTests(PostgresDeliveryKernelFixture fixture) : DeliveryWorkerTests(fixture), IClassFixture<PostgresDeliveryKernelFixture>;
