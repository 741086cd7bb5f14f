using System.CommandLine;
using ClawScale.Cli.Output;
using ClawScale.Protos.V1;
using Google.Protobuf.Collections;

namespace ClawScale.Cli.Commands;

/// <summary><c>tenants list|create|get|update|delete</c> (tenant management needs a platform-admin key).</summary>
public static class TenantCommands
{
    /// <summary>Builds the <c>tenants</c> command.</summary>
    public static Command Create(CliContext context)
    {
        var tenants = new Command("tenants", "Tenants: the isolation boundary.");

        var (size, token) = Options.Paging();
        var list = new Command("list", "List tenants (platform-admin: all; tenant-admin: its own).") { size, token };
        context.Handle(list, (p, c, ct) => c.Admin.ListTenantsAsync(new ListTenantsRequest { PageSize = p.GetValue(size), PageToken = p.GetValue(token) ?? string.Empty }, cancellationToken: ct).ResponseAsync,
            (r, w) => Print(r.Tenants, w, r.NextPageToken));

        var slug = Options.Text("--slug", "3 to 63 characters of [a-z0-9-], starting with a letter.", required: true);
        var displayName = Options.Text("--display-name", "1 to 200 characters.", required: true);
        var create = new Command("create", "Create a tenant (platform-admin).") { slug, displayName };
        context.Handle(create, (p, c, ct) => c.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = p.GetValue(slug)!, DisplayName = p.GetValue(displayName)! }, cancellationToken: ct).ResponseAsync,
            (r, w) => Print([r.Tenant], w));

        var getId = Options.Id("tenant-id", "The tenant id.");
        var get = new Command("get", "Show a tenant.") { getId };
        context.Handle(get, (p, c, ct) => c.Admin.GetTenantAsync(new GetTenantRequest { TenantId = p.GetValue(getId)! }, cancellationToken: ct).ResponseAsync,
            (r, w) => Print([r.Tenant], w));

        var updateId = Options.Id("tenant-id", "The tenant id.");
        var newName = Options.Text("--display-name", "New display name, 1 to 200 characters.");
        var update = new Command("update", "Change a tenant's display name.") { updateId, newName };
        context.Handle(update, (p, c, ct) =>
        {
            var request = new UpdateTenantRequest { TenantId = p.GetValue(updateId)! };
            if (p.GetValue(newName) is { } name) request.DisplayName = name;
            return c.Admin.UpdateTenantAsync(request, cancellationToken: ct).ResponseAsync;
        }, (r, w) => Print([r.Tenant], w));

        var deleteId = Options.Id("tenant-id", "The tenant id.");
        var delete = new Command("delete", "Delete a tenant and everything it owns (platform-admin).") { deleteId };
        context.Handle(delete, (p, c, ct) => c.Admin.DeleteTenantAsync(new DeleteTenantRequest { TenantId = p.GetValue(deleteId)! }, cancellationToken: ct).ResponseAsync,
            (_, w) => w.WriteLine("Deleted."));

        tenants.Subcommands.Add(list);
        tenants.Subcommands.Add(create);
        tenants.Subcommands.Add(get);
        tenants.Subcommands.Add(update);
        tenants.Subcommands.Add(delete);
        return tenants;
    }

    private static void Print(IEnumerable<Tenant> tenants, TextWriter writer, string? nextPageToken = null)
    {
        var table = new Table("ID", "SLUG", "DISPLAY NAME", "CREATED");
        foreach (var t in tenants) table.Add(t.Id, t.Slug, t.DisplayName, Render.Time(t.CreateTime));
        table.WriteTo(writer);
        Paging.WriteNext(writer, nextPageToken);
    }
}
