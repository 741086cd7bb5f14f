using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Hosting;

/// <summary>
/// Reports, with the other start-up errors, every setting under <c>ClawScale</c> (the <c>Pipeline</c> section included)
/// whose value does not convert to its option's type (<see cref="SettingValues.ConversionErrors"/>): such values are
/// left out of binding, so without this report the option would silently keep its default.
/// </summary>
internal sealed class SettingValueValidator(IConfiguration configuration) : IValidateOptions<ClawScaleOptions>
{
    public ValidateOptionsResult Validate(string? name, ClawScaleOptions options)
    {
        var errors = SettingValues.ConversionErrors(configuration);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
