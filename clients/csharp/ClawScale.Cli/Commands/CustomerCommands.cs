using System.CommandLine;
using ClawScale.Cli.Output;
using ClawScale.Protos.V1;

namespace ClawScale.Cli.Commands;

/// <summary><c>customers list|get</c>: end users and their external identities.</summary>
public static class CustomerCommands
{
    /// <summary>Builds the <c>customers</c> command.</summary>
    public static Command Create(CliContext context)
    {
        var customers = new Command("customers", "Customers: end users' accounts within a tenant.");

        var tenant = Options.Tenant();
        var (size, token) = Options.Paging();
        var list = new Command("list", "List customers.") { tenant, size, token };
        context.Handle(list, (p, c, ct) => c.Admin.ListCustomersAsync(new ListCustomersRequest { TenantId = p.GetValue(tenant) ?? string.Empty, PageSize = p.GetValue(size), PageToken = p.GetValue(token) ?? string.Empty }, cancellationToken: ct).ResponseAsync,
            (r, w) =>
            {
                Print(r.Customers, w);
                Paging.WriteNext(w, r.NextPageToken);
            });

        var getId = Options.Id("customer-id", "The customer id.");
        var get = new Command("get", "Show a customer and its external identities.") { getId };
        context.Handle(get, (p, c, ct) => c.Admin.GetCustomerAsync(new AdminGetCustomerRequest { CustomerId = p.GetValue(getId)! }, cancellationToken: ct).ResponseAsync,
            (r, w) =>
            {
                Print([r.Customer], w);
                w.WriteLine();
                var table = new Table("IDENTITY ID", "PROVIDER", "TYPE", "VALUE", "CREATED");
                foreach (var i in r.Identities) table.Add(i.Id, i.Provider, i.IdentityType, i.Value, Render.Time(i.CreateTime));
                table.WriteTo(w);
            });

        customers.Subcommands.Add(list);
        customers.Subcommands.Add(get);
        return customers;
    }

    private static void Print(IEnumerable<Customer> customers, TextWriter writer)
    {
        var table = new Table("ID", "DISPLAY NAME", "TENANT", "CREATED");
        foreach (var c in customers) table.Add(c.Id, c.DisplayName, c.TenantId, Render.Time(c.CreateTime));
        table.WriteTo(writer);
    }
}
