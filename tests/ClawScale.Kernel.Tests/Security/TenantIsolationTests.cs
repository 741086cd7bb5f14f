using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline.Delivery;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Kernel.Tests.Security;

/// <summary>
/// The isolation matrix: a tenant's key against every RPC on another tenant's resources answers NOT_FOUND (or
/// PERMISSION_DENIED for platform-only RPCs) and changes nothing; a runtime key against every RPC on its own tenant's
/// resources that none of its agents answers answers PERMISSION_DENIED (lists leave them out) and changes nothing; every
/// RPC without a key answers UNAUTHENTICATED. Every RPC in protos/clawscale/v1 must appear in the matrix, so a new RPC
/// cannot skip it.
/// </summary>
public abstract class TenantIsolationTests(KernelFixture fixture)
{
    private KernelHost Kernel => fixture.Host;

    private static readonly FileDescriptor[] Files =
        [AdminReflection.Descriptor, IdentityReflection.Descriptor, RoutingReflection.Descriptor, DeliveryReflection.Descriptor, RuntimeReflection.Descriptor];

    /// <summary>RPCs that answer UNIMPLEMENTED in this kernel version (they join the matrix when implemented).</summary>
    private static readonly HashSet<string> NotYetImplemented = [];

    [SkippableFact]
    public async Task A_tenant_key_cannot_reach_another_tenants_resources_on_any_rpc()
    {
        var k = Kernel;
        var (tenantA, keyA) = await k.CreateTenantAsync();
        var (tenantB, keyB) = await k.CreateTenantAsync();
        var a = KernelHost.Auth(keyA);
        var b = KernelHost.Auth(keyB);

        // Tenant B's resources.
        var bKey = (await k.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "b2", Scope = ApiKeyScope.TenantAdmin }, b)).ApiKey;
        var bChannel = (await k.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "telegram", DisplayName = "B bot", Config = { ["api_base_url"] = KernelHost.UnreachablePlatformUrl }, Credentials = { ["bot_token"] = KernelHost.SampleBotToken } }, b)).Channel;
        var bAgent = (await k.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "b-agent", Kind = "echo" }, b)).Agent;
        var bBinding = (await k.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = bAgent.Id }, b)).Binding;
        var bCustomer = (await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = new ExternalIdentityKey { Provider = "telegram", IdentityType = "user_id", Value = "5" } }, b)).Customer;
        var bIdentity = (await k.Identity.ListExternalIdentitiesAsync(new ListExternalIdentitiesRequest { CustomerId = bCustomer.Id }, b)).Identities[0];
        // Tenant A's own customer, to try linking B's things to it.
        var aAgent = (await k.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "a-agent", Kind = "echo" }, a)).Agent;
        var bDelivery = await CreateDeliveryAsync(k, tenantB.Id, bChannel.Id);
        var bJoinLink = (await k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { ChannelId = bChannel.Id }, b)).JoinLink;
        var bInbound = await k.Routing.RouteInboundAsync(new RouteInboundRequest { ChannelId = bChannel.Id, ExternalChatId = "42", ProviderMessageId = "b-1", Sender = new ExternalIdentityKey { Provider = "telegram", IdentityType = "user_id", Value = "42" }, Text = "hi" }, b);
        var bConversation = (await k.Routing.GetConversationAsync(new GetConversationRequest { ConversationId = bInbound.ConversationId }, b)).Conversation;
        await k.Routing.BindDeliveryRouteAsync(new BindDeliveryRouteRequest { ConversationKey = "b-key", DeliveryRouteId = bConversation.DeliveryRouteId }, b);
        var aRuntimeAgent = (await k.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "a-runtime", Kind = "external" }, a)).Agent;
        var aRuntimeKey = (await k.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "a-rt", Scope = ApiKeyScope.Runtime, AgentIds = { aRuntimeAgent.Id } }, a)).Secret;
        var aRuntime = KernelHost.Auth(aRuntimeKey);

        // The runtime-key column: a runtime key of tenant B bound to an agent that answers none of B's conversations (B's
        // tenant-default binding sends them all to b-agent) reaches none of them, and no AdminService RPC.
        var bRuntimeAgent = (await k.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "b-runtime", Kind = "external" }, b)).Agent;
        var bRuntimeKey = (await k.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Name = "b-rt", Scope = ApiKeyScope.Runtime, AgentIds = { bRuntimeAgent.Id } }, b)).Secret;
        var bRuntime = KernelHost.Auth(bRuntimeKey);
        const StatusCode Denied = StatusCode.PermissionDenied;

        // Per RPC: the answer to tenant A's key (the key given) on B's resource, and the answer to B's runtime key on the
        // same call. OK means the call succeeds and its own assertions hold (lists leave B's / out-of-scope rows out).
        var cases = new Dictionary<string, (StatusCode CrossTenant, Metadata CrossTenantKey, StatusCode Runtime, Func<Metadata, Task> Call)>
        {
            ["AdminService/CreateTenant"] = (Denied, a, Denied, auth => k.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = "sneaky", DisplayName = "x" }, auth).ResponseAsync),
            ["AdminService/GetTenant"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.GetTenantAsync(new GetTenantRequest { TenantId = tenantB.Id }, auth).ResponseAsync),
            ["AdminService/ListTenants"] = (StatusCode.OK, a, Denied, async auth => Assert.DoesNotContain((await k.Admin.ListTenantsAsync(new ListTenantsRequest(), auth)).Tenants, t => t.Id == tenantB.Id)),
            ["AdminService/UpdateTenant"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.UpdateTenantAsync(new UpdateTenantRequest { TenantId = tenantB.Id, DisplayName = "pwned" }, auth).ResponseAsync),
            ["AdminService/DeleteTenant"] = (Denied, a, Denied, auth => k.Admin.DeleteTenantAsync(new DeleteTenantRequest { TenantId = tenantB.Id }, auth).ResponseAsync),
            ["AdminService/CreateApiKey"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { TenantId = tenantB.Id, Name = "x", Scope = ApiKeyScope.TenantAdmin }, auth).ResponseAsync),
            ["AdminService/ListApiKeys"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.ListApiKeysAsync(new ListApiKeysRequest { TenantId = tenantB.Id }, auth).ResponseAsync),
            ["AdminService/RevokeApiKey"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { ApiKeyId = bKey.Id }, auth).ResponseAsync),
            ["AdminService/CreateChannel"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.CreateChannelAsync(new CreateChannelRequest { TenantId = tenantB.Id, Kind = "telegram", DisplayName = "x" }, auth).ResponseAsync),
            ["AdminService/GetChannel"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = bChannel.Id }, auth).ResponseAsync),
            ["AdminService/ListChannels"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.ListChannelsAsync(new ListChannelsRequest { TenantId = tenantB.Id }, auth).ResponseAsync),
            ["AdminService/UpdateChannel"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.UpdateChannelAsync(new UpdateChannelRequest { ChannelId = bChannel.Id, DisplayName = "pwned" }, auth).ResponseAsync),
            ["AdminService/DeleteChannel"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.DeleteChannelAsync(new DeleteChannelRequest { ChannelId = bChannel.Id }, auth).ResponseAsync),
            ["AdminService/CreateAgent"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.CreateAgentAsync(new CreateAgentRequest { TenantId = tenantB.Id, Name = "x", Kind = "echo" }, auth).ResponseAsync),
            ["AdminService/GetAgent"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.GetAgentAsync(new GetAgentRequest { AgentId = bAgent.Id }, auth).ResponseAsync),
            ["AdminService/ListAgents"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.ListAgentsAsync(new ListAgentsRequest { TenantId = tenantB.Id }, auth).ResponseAsync),
            ["AdminService/UpdateAgent"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.UpdateAgentAsync(new UpdateAgentRequest { AgentId = bAgent.Id, Name = "pwned" }, auth).ResponseAsync),
            ["AdminService/DeleteAgent"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.DeleteAgentAsync(new DeleteAgentRequest { AgentId = bAgent.Id, Force = true }, auth).ResponseAsync),
            ["AdminService/CreateAgentBinding"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = bAgent.Id }, auth).ResponseAsync),
            ["AdminService/ListAgentBindings"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.ListAgentBindingsAsync(new ListAgentBindingsRequest { TenantId = tenantB.Id }, auth).ResponseAsync),
            ["AdminService/DeleteAgentBinding"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.DeleteAgentBindingAsync(new DeleteAgentBindingRequest { BindingId = bBinding.Id }, auth).ResponseAsync),
            ["AdminService/ListCustomers"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.ListCustomersAsync(new ListCustomersRequest { TenantId = tenantB.Id }, auth).ResponseAsync),
            ["AdminService/GetCustomer"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.GetCustomerAsync(new AdminGetCustomerRequest { CustomerId = bCustomer.Id }, auth).ResponseAsync),
            ["AdminService/ListTurns"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.ListTurnsAsync(new ListTurnsRequest { TenantId = tenantB.Id }, auth).ResponseAsync),
            ["AdminService/ListPlugins"] = (Denied, a, Denied, auth => k.Admin.ListPluginsAsync(new ListPluginsRequest(), auth).ResponseAsync),
            ["AdminService/ReloadPlugins"] = (Denied, a, Denied, auth => k.Admin.ReloadPluginsAsync(new ReloadPluginsRequest(), auth).ResponseAsync),
            // Not tenant data: the kinds this kernel serves. A tenant admin may read them (for forms); a runtime key may not.
            ["AdminService/ListKinds"] = (StatusCode.OK, a, Denied, async auth => Assert.NotEmpty((await k.Admin.ListKindsAsync(new ListKindsRequest(), auth)).ChannelKinds)),
            ["AdminService/CreateJoinLink"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { TenantId = tenantB.Id, ChannelId = bChannel.Id }, auth).ResponseAsync),
            ["AdminService/ListJoinLinks"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.ListJoinLinksAsync(new ListJoinLinksRequest { TenantId = tenantB.Id }, auth).ResponseAsync),
            ["AdminService/RevokeJoinLink"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.RevokeJoinLinkAsync(new RevokeJoinLinkRequest { JoinLinkId = bJoinLink.Id }, auth).ResponseAsync),
            ["AdminService/ListDeliveries"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest { TenantId = tenantB.Id }, auth).ResponseAsync),
            ["AdminService/RetryDelivery"] = (StatusCode.NotFound, a, Denied, auth => k.Admin.RetryDeliveryAsync(new RetryDeliveryRequest { DeliveryId = bDelivery }, auth).ResponseAsync),
            // Identity "5" is B's customer without a conversation: no agent of the runtime key answers it.
            ["IdentityService/ResolveExternalIdentity"] = (StatusCode.NotFound, a, Denied, auth => k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { TenantId = tenantB.Id, Identity = new ExternalIdentityKey { Provider = "telegram", IdentityType = "user_id", Value = "5" } }, auth).ResponseAsync),
            ["IdentityService/GetCustomer"] = (StatusCode.NotFound, a, Denied, auth => k.Identity.GetCustomerAsync(new GetCustomerRequest { CustomerId = bCustomer.Id }, auth).ResponseAsync),
            ["IdentityService/LinkExternalIdentity"] = (StatusCode.NotFound, a, Denied, auth => k.Identity.LinkExternalIdentityAsync(new LinkExternalIdentityRequest { CustomerId = bCustomer.Id, Identity = new ExternalIdentityKey { Provider = "x", IdentityType = "user_id", Value = "1" } }, auth).ResponseAsync),
            ["IdentityService/UnlinkExternalIdentity"] = (StatusCode.NotFound, a, Denied, auth => k.Identity.UnlinkExternalIdentityAsync(new UnlinkExternalIdentityRequest { CustomerId = bCustomer.Id, ExternalIdentityId = bIdentity.Id }, auth).ResponseAsync),
            ["IdentityService/ListExternalIdentities"] = (StatusCode.NotFound, a, Denied, auth => k.Identity.ListExternalIdentitiesAsync(new ListExternalIdentitiesRequest { CustomerId = bCustomer.Id }, auth).ResponseAsync),
            ["RoutingService/RouteInbound"] = (StatusCode.NotFound, a, Denied, auth => k.Routing.RouteInboundAsync(new RouteInboundRequest { ChannelId = bChannel.Id, ExternalChatId = "42", ProviderMessageId = "a-1", Sender = new ExternalIdentityKey { Provider = "telegram", IdentityType = "user_id", Value = "42" }, Text = "pwned" }, auth).ResponseAsync),
            ["RoutingService/GetConversation"] = (StatusCode.NotFound, aRuntime, Denied, auth => k.Routing.GetConversationAsync(new GetConversationRequest { ConversationId = bConversation.Id }, auth).ResponseAsync),
            ["RoutingService/ListConversations"] = (StatusCode.NotFound, a, StatusCode.OK, async auth => Assert.DoesNotContain((await k.Routing.ListConversationsAsync(new ListConversationsRequest { TenantId = tenantB.Id }, auth)).Conversations, c => c.Id == bConversation.Id)),
            ["RoutingService/ListMessages"] = (StatusCode.NotFound, a, Denied, auth => k.Routing.ListMessagesAsync(new ListMessagesRequest { ConversationId = bConversation.Id }, auth).ResponseAsync),
            ["RoutingService/BindDeliveryRoute"] = (StatusCode.NotFound, aRuntime, Denied, auth => k.Routing.BindDeliveryRouteAsync(new BindDeliveryRouteRequest { ConversationKey = "steal", DeliveryRouteId = bConversation.DeliveryRouteId }, auth).ResponseAsync),
            ["RoutingService/GetDeliveryRoute"] = (StatusCode.NotFound, a, Denied, auth => k.Routing.GetDeliveryRouteAsync(new GetDeliveryRouteRequest { DeliveryRouteId = bConversation.DeliveryRouteId }, auth).ResponseAsync),
            ["DeliveryService/Deliver"] = (StatusCode.NotFound, aRuntime, Denied, auth => k.Delivery.DeliverAsync(new DeliverRequest { IdempotencyKey = "x", ConversationId = bConversation.Id, Text = "pwned" }, auth).ResponseAsync),
            ["DeliveryService/GetDelivery"] = (StatusCode.NotFound, a, Denied, auth => k.Delivery.GetDeliveryAsync(new GetDeliveryRequest { DeliveryId = bDelivery }, auth).ResponseAsync),
            ["DeliveryService/ListDeliveries"] = (StatusCode.NotFound, a, StatusCode.OK, async auth => Assert.DoesNotContain((await k.Delivery.ListDeliveriesAsync(new ListDeliveriesRequest { TenantId = tenantB.Id }, auth)).Deliveries, d => d.Id == bDelivery)),
            ["DeliveryService/WatchDeliveries"] = (StatusCode.NotFound, a, Denied, async auth =>
            {
                using var watch = k.Delivery.WatchDeliveries(new WatchDeliveriesRequest { DeliveryIds = { bDelivery } }, auth, DateTime.UtcNow.AddSeconds(10));
                while (await watch.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
            }),
            ["RuntimeService/Connect"] = (Denied, aRuntime, Denied, async auth =>
            {
                using var call = k.Runtime.Connect(auth, DateTime.UtcNow.AddSeconds(10));
                try
                {
                    await call.RequestStream.WriteAsync(new ConnectRequest { Hello = new RuntimeHello { AgentIds = { bAgent.Id } } });
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
                {
                    // Refused before the write (the key check needs no message): the response stream ends with the status.
                }

                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
            }),
        };

        var missing = AllMethods().Where(m => !cases.ContainsKey(m) && !NotYetImplemented.Contains(m)).ToList();
        Assert.True(missing.Count == 0, "RPCs missing from the isolation matrix: " + string.Join(", ", missing));

        foreach (var (name, (crossTenant, crossTenantKey, runtime, call)) in cases)
        {
            await AssertAnswerAsync($"{name} (tenant A's key on B)", crossTenant, () => call(crossTenantKey));
            await AssertAnswerAsync($"{name} (B's runtime key on another agent's resources)", runtime, () => call(bRuntime));
        }

        async Task AssertAnswerAsync(string what, StatusCode expected, Func<Task> call)
        {
            if (expected == StatusCode.OK)
            {
                await call();
                return;
            }

            var ex = await Assert.ThrowsAsync<RpcException>(call);
            Assert.True(ex.StatusCode == expected, $"{what}: expected {expected}, got {ex.StatusCode} ({ex.Status.Detail})");
            Assert.DoesNotContain(tenantB.Slug, ex.Status.Detail);
        }

        // Nothing of B's changed, and the same identity in A is a different customer.
        Assert.Equal(tenantB.DisplayName, (await k.Admin.GetTenantAsync(new GetTenantRequest { TenantId = tenantB.Id }, b)).Tenant.DisplayName);
        Assert.Equal("B bot", (await k.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = bChannel.Id }, b)).Channel.DisplayName);
        Assert.Equal("b-agent", (await k.Admin.GetAgentAsync(new GetAgentRequest { AgentId = bAgent.Id }, b)).Agent.Name);
        Assert.Single((await k.Admin.ListAgentBindingsAsync(new ListAgentBindingsRequest(), b)).Bindings);
        Assert.Null((await k.Admin.ListApiKeysAsync(new ListApiKeysRequest(), b)).ApiKeys.Single(x => x.Id == bKey.Id).RevokeTime);
        Assert.Single((await k.Identity.ListExternalIdentitiesAsync(new ListExternalIdentitiesRequest { CustomerId = bCustomer.Id }, b)).Identities);
        var inA = await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest { Identity = new ExternalIdentityKey { Provider = "telegram", IdentityType = "user_id", Value = "5" } }, a);
        Assert.NotEqual(bCustomer.Id, inA.Customer.Id);
        Assert.Equal(tenantA.Id, inA.Customer.TenantId);
        Assert.NotNull(aAgent);
        Assert.Equal("42", (await k.Routing.GetDeliveryRouteAsync(new GetDeliveryRouteRequest { ConversationKey = "b-key" }, b)).Route.ExternalChatId);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => k.Routing.GetDeliveryRouteAsync(new GetDeliveryRouteRequest { ConversationKey = "b-key" }, a).ResponseAsync);
        Assert.Single((await k.Routing.ListMessagesAsync(new ListMessagesRequest { ConversationId = bConversation.Id }, b)).Messages, m => m.Role == MessageRole.User);
        k.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Every_rpc_without_a_key_is_unauthenticated_and_unimplemented_ones_say_so()
    {
        var k = Kernel;
        var invoker = k.Channel.CreateCallInvoker();
        foreach (var file in Files)
        {
            foreach (var service in file.Services)
            {
                foreach (var method in service.Methods)
                {
                    var status = await InvokeAsync(invoker, method, headers: null);
                    Assert.True(status.StatusCode == StatusCode.Unauthenticated, $"{service.Name}/{method.Name} without a key: {status}");
                    if (NotYetImplemented.Contains($"{service.Name}/{method.Name}"))
                    {
                        var authed = await InvokeAsync(invoker, method, k.AdminAuth);
                        Assert.True(authed.StatusCode == StatusCode.Unimplemented, $"{service.Name}/{method.Name}: {authed}");
                        Assert.Contains("not implemented yet", authed.Detail);
                    }
                }
            }
        }
    }

    private static async Task<string> CreateDeliveryAsync(KernelHost k, string tenantId, string channelId)
    {
        await using var scope = k.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        var routeId = Guid.CreateVersion7().ToString();
        db.DeliveryRoutes.Add(new DeliveryRouteEntity { Id = routeId, TenantId = tenantId, ChannelId = channelId, ExternalChatId = "42", CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        var result = await scope.ServiceProvider.GetRequiredService<DeliveryWriter>()
            .EnqueueAsync(tenantId, routeId, null, null, "isolation", "hi", null, null, null, CancellationToken.None);
        return result.Delivery!.Id;
    }

    private static IEnumerable<string> AllMethods() =>
        Files.SelectMany(f => f.Services).SelectMany(s => s.Methods.Select(m => $"{s.Name}/{m.Name}"));

    private static async Task<Status> InvokeAsync(CallInvoker invoker, MethodDescriptor method, Metadata? headers)
    {
        var marshaller = Marshallers.Create<IMessage>(m => m.ToByteArray(), bytes => method.OutputType.Parser.ParseFrom(bytes));
        var rpc = new Method<IMessage, IMessage>(
            (method.IsClientStreaming, method.IsServerStreaming) switch
            {
                (false, false) => MethodType.Unary,
                (false, true) => MethodType.ServerStreaming,
                (true, false) => MethodType.ClientStreaming,
                _ => MethodType.DuplexStreaming,
            },
            method.Service.FullName, method.Name, marshaller, marshaller);
        var request = (IMessage)Activator.CreateInstance(method.InputType.ClrType)!;
        var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(10));
        try
        {
            switch (rpc.Type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(rpc, null, options, request).ResponseAsync;
                    break;
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(rpc, null, options, request))
                    {
                        while (await call.ResponseStream.MoveNext(CancellationToken.None))
                        {
                        }
                    }

                    break;
                default:
                    using (var duplex = invoker.AsyncDuplexStreamingCall(rpc, null, options))
                    {
                        await duplex.RequestStream.CompleteAsync();
                        while (await duplex.ResponseStream.MoveNext(CancellationToken.None))
                        {
                        }
                    }

                    break;
            }

            return Status.DefaultSuccess;
        }
        catch (RpcException ex)
        {
            return ex.Status;
        }
    }
}

public sealed class TenantIsolationSqliteTests(SqliteKernelFixture fixture) : TenantIsolationTests(fixture), IClassFixture<SqliteKernelFixture>;

public sealed class TenantIsolationPostgresTests(PostgresKernelFixture fixture) : TenantIsolationTests(fixture), IClassFixture<PostgresKernelFixture>;
