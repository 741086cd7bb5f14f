namespace ClawScale.Kernel.Console;

/// <summary>
/// Turns a page handler into a route handler <see cref="Delegate"/>, so minimal APIs write the returned
/// <see cref="IResult"/> (a method returning <c>Task&lt;IResult&gt;</c> would otherwise bind as a <c>RequestDelegate</c>
/// and its result be discarded).
/// </summary>
internal static class ConsoleHandler
{
    public static Delegate Of(Func<HttpContext, Task<IResult>> handler) => handler;

    public static Delegate Of(Func<HttpContext, string, Task<IResult>> handler) => handler;
}
