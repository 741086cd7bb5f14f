using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Plugins;
using ClawScale.Kernel.Security;
using ClawScale.Plugins.Hosting;
using HostPluginState = ClawScale.Plugins.Hosting.PluginState;
using ClawScale.Protos.V1;
using Grpc.Core;

namespace ClawScale.Kernel.Admin;

internal sealed partial class AdminGrpcService
{
    public override Task<ListPluginsResponse> ListPlugins(ListPluginsRequest request, ServerCallContext context)
    {
        context.RequirePlatformAdmin();
        var response = new ListPluginsResponse();
        response.Plugins.AddRange(plugins.GetPlugins().Select(ToProto));
        return Task.FromResult(response);
    }

    public override async Task<ReloadPluginsResponse> ReloadPlugins(ReloadPluginsRequest request, ServerCallContext context)
    {
        context.RequirePlatformAdmin();
        var result = await plugins.ReloadAsync(context.CancellationToken);
        if (!result.Applied)
            throw GrpcErrors.FailedPrecondition("plugins.json was rejected, the previous plugins stay loaded: " + string.Join(" ", result.ManifestErrors));
        var response = new ReloadPluginsResponse();
        response.Plugins.AddRange(result.Plugins.Select(ToProto));
        return response;
    }

    public override Task<ListKindsResponse> ListKinds(ListKindsRequest request, ServerCallContext context)
    {
        context.RequireAdmin();
        var response = new ListKindsResponse();
        response.ChannelKinds.AddRange(kinds.ChannelKinds().Select(ToProto));
        response.AgentKinds.AddRange(kinds.AgentKinds().Select(ToProto));
        return Task.FromResult(response);
    }

    private static KindSchema ToProto(KindFields kind)
    {
        var schema = new KindSchema { Kind = kind.Kind };
        foreach (var field in kind.Fields)
        {
            var proto = new Protos.V1.ConfigField
            {
                Key = field.Key,
                Label = field.Label,
                Required = field.Required,
                Secret = field.Secret,
                Help = field.Help ?? string.Empty,
            };
            proto.Choices.AddRange(field.Choices);
            schema.Fields.Add(proto);
        }

        return schema;
    }

    private Plugin ToProto(PluginInfo info)
    {
        var plugin = new Plugin
        {
            Name = info.Name,
            Version = info.Version ?? string.Empty,
            Source = info.SourcePath,
            State = info.State switch
            {
                HostPluginState.Loaded => Protos.V1.PluginState.Loaded,
                HostPluginState.Failed => Protos.V1.PluginState.Failed,
                _ => Protos.V1.PluginState.Unloaded,
            },
            Error = info.Error ?? string.Empty,
        };
        plugin.ChannelKinds.AddRange(info.ChannelKinds);
        plugin.AgentKinds.AddRange(info.AgentKinds);
        if (info.State == HostPluginState.Loaded)
        {
            var channelKinds = kinds.ChannelKinds();
            var agentKinds = kinds.AgentKinds();
            plugin.ChannelSchemas.AddRange(info.ChannelKinds.Select(k => channelKinds.FirstOrDefault(c => string.Equals(c.Kind, k, StringComparison.OrdinalIgnoreCase)))
                .Where(k => k is { Fields.Count: > 0 }).Select(k => ToProto(k!)));
            plugin.AgentSchemas.AddRange(info.AgentKinds.Select(k => agentKinds.FirstOrDefault(a => string.Equals(a.Kind, k, StringComparison.OrdinalIgnoreCase)))
                .Where(k => k is { Fields.Count: > 0 }).Select(k => ToProto(k!)));
        }

        if (info.LoadedAt is { } loaded) plugin.LoadTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(loaded);
        return plugin;
    }
}
