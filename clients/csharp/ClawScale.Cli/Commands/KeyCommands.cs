using System.CommandLine;
using ClawScale.Cli.Output;
using ClawScale.Protos.V1;

namespace ClawScale.Cli.Commands;

/// <summary><c>keys list|create|revoke</c>: API keys (the secret is printed once, by <c>create</c>).</summary>
public static class KeyCommands
{
    /// <summary>Builds the <c>keys</c> command.</summary>
    public static Command Create(CliContext context)
    {
        var keys = new Command("keys", "API keys.");

        var listTenant = Options.Tenant();
        var includeRevoked = new Option<bool>("--include-revoked") { Description = "Also list revoked keys." };
        var list = new Command("list", "List keys (without secrets). Platform-admin without --tenant: platform-admin keys.") { listTenant, includeRevoked };
        context.Handle(list, (p, c, ct) => c.Admin.ListApiKeysAsync(new ListApiKeysRequest { TenantId = p.GetValue(listTenant) ?? string.Empty, IncludeRevoked = p.GetValue(includeRevoked) }, cancellationToken: ct).ResponseAsync,
            (r, w) => Print(r.ApiKeys, w));

        var tenant = Options.Tenant();
        var name = Options.Text("--name", "Label, 1 to 100 characters.", required: true);
        var scope = Options.Enum<ApiKeyScope>("--scope", "What the key may do.", required: true);
        var agents = new Option<string[]>("--agent") { Description = "Runtime keys: an agent id the key may serve. Repeat for several.", Arity = ArgumentArity.ZeroOrMore };
        var create = new Command("create", "Create a key; its secret is shown this once.") { tenant, name, scope, agents };
        context.Handle(create, (p, c, ct) =>
        {
            var request = new CreateApiKeyRequest { TenantId = p.GetValue(tenant) ?? string.Empty, Name = p.GetValue(name)!, Scope = p.GetValue(scope)!.Value };
            request.AgentIds.Add(p.GetValue(agents) ?? []);
            return c.Admin.CreateApiKeyAsync(request, cancellationToken: ct).ResponseAsync;
        }, (r, w) =>
        {
            Print([r.ApiKey], w);
            w.WriteLine();
            w.WriteLine($"Secret (shown once, store it now): {r.Secret}");
        });

        var revokeId = Options.Id("key-id", "The key id (not the secret).");
        var revoke = new Command("revoke", "Revoke a key at once.") { revokeId };
        context.Handle(revoke, (p, c, ct) => c.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { ApiKeyId = p.GetValue(revokeId)! }, cancellationToken: ct).ResponseAsync,
            (r, w) => Print([r.ApiKey], w));

        keys.Subcommands.Add(list);
        keys.Subcommands.Add(create);
        keys.Subcommands.Add(revoke);
        return keys;
    }

    private static void Print(IEnumerable<ApiKey> keys, TextWriter writer)
    {
        var table = new Table("ID", "NAME", "SCOPE", "TENANT", "PREFIX", "AGENTS", "CREATED", "REVOKED");
        foreach (var k in keys)
            table.Add(k.Id, k.Name, Render.Enum(k.Scope), k.TenantId, k.Prefix, Render.List(k.AgentIds), Render.Time(k.CreateTime), Render.Time(k.RevokeTime));
        table.WriteTo(writer);
    }
}
