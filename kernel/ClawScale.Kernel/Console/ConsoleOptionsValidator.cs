using ClawScale.Kernel.Hosting;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Console;

/// <summary>Validates <c>ClawScale:Console</c> at start, with the kernel's other settings (every error listed together).</summary>
internal sealed class ConsoleOptionsValidator : IValidateOptions<ClawScaleOptions>
{
    public ValidateOptionsResult Validate(string? name, ClawScaleOptions options)
    {
        var timeout = options.Console.SessionIdleTimeout;
        return timeout < TimeSpan.FromMinutes(1) || timeout > TimeSpan.FromDays(1)
            ? ValidateOptionsResult.Fail($"{ClawScaleOptions.SectionName}:Console:SessionIdleTimeout '{timeout}' must be between 00:01:00 and 1.00:00:00 (default 00:30:00).")
            : ValidateOptionsResult.Success;
    }
}
