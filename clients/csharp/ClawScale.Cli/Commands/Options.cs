using System.CommandLine;
using System.CommandLine.Parsing;
using ClawScale.Cli.Output;

namespace ClawScale.Cli.Commands;

/// <summary>Factories for the options and arguments the commands share.</summary>
public static class Options
{
    /// <summary>A positional id argument.</summary>
    public static Argument<string> Id(string name, string description) => new(name) { Description = description };

    /// <summary>A string option.</summary>
    public static Option<string?> Text(string name, string description, bool required = false) =>
        new(name) { Description = description, Required = required };

    /// <summary><c>--tenant</c>: the tenant id; tenant-admin keys may leave it out to mean their own tenant.</summary>
    public static Option<string?> Tenant() => Text("--tenant", "Tenant id (tenant-admin keys: defaults to the key's tenant).");

    /// <summary><c>--page-size</c> (default 50 on the kernel, at most 500) and <c>--page-token</c>.</summary>
    public static (Option<int> Size, Option<string?> Token) Paging() =>
        (new Option<int>("--page-size") { Description = "Items per page (kernel default 50, max 500)." },
         Text("--page-token", "next_page_token of the previous page."));

    /// <summary>A repeatable <c>k=v</c> option (<c>--config</c>, <c>--credential</c>); a value without '=' is a usage error.</summary>
    public static Option<string[]> Pairs(string name, string description)
    {
        var option = new Option<string[]>(name) { Description = description + " Repeat for several (k=v).", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (token.Value.IndexOf('=', StringComparison.Ordinal) <= 0)
                    result.AddError($"{name}: '{(name == "--credential" ? "<hidden>" : token.Value)}' must be key=value.");
        });
        return option;
    }

    /// <summary>The <c>k=v</c> values of <paramref name="option"/> as a dictionary (the last value of a key wins).</summary>
    public static Dictionary<string, string> GetPairs(ParseResult parsed, Option<string[]> option)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in parsed.GetValue(option) ?? [])
        {
            var i = pair.IndexOf('=', StringComparison.Ordinal);
            map[pair[..i]] = pair[(i + 1)..];
        }

        return map;
    }

    /// <summary>An enum option taking kebab-case names (<c>platform-admin</c>), the <c>Unspecified</c> value excluded.</summary>
    public static Option<T?> Enum<T>(string name, string description, bool required = false) where T : struct, System.Enum
    {
        var names = System.Enum.GetValues<T>().Where(v => Convert.ToInt32(v) != 0).Select(Render.Enum).ToArray();
        var option = new Option<T?>(name)
        {
            Description = $"{description} One of: {string.Join(", ", names)}.",
            Required = required,
            CustomParser = result =>
            {
                var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                var match = System.Enum.GetValues<T>().Where(v => Convert.ToInt32(v) != 0).FirstOrDefault(v => string.Equals(Render.Enum(v), token, StringComparison.OrdinalIgnoreCase));
                if (Convert.ToInt32(match) != 0) return match;
                result.AddError($"{name}: '{token}' is not one of: {string.Join(", ", names)}.");
                return null;
            },
        };
        return option;
    }
}
