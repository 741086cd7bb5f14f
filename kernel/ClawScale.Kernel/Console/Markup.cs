namespace ClawScale.Kernel.Console;

/// <summary>
/// HTML that is already safe to write: built by <see cref="Html.H"/>, whose interpolation encodes every hole that is
/// not itself <see cref="Markup"/> (so text from users, platforms and the API can never become markup).
/// </summary>
/// <param name="Value">The HTML.</param>
internal readonly record struct Markup(string Value)
{
    /// <summary>Nothing.</summary>
    public static readonly Markup Empty = new(string.Empty);

    public override string ToString() => Value ?? string.Empty;
}
