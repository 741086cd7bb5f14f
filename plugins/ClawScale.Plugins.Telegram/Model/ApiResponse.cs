namespace ClawScale.Plugins.Telegram.Model;

/// <summary>
/// The envelope of every Bot API answer ("Making requests"): <c>{"ok": true, "result": …}</c> or
/// <c>{"ok": false, "error_code": 400, "description": "…", "parameters": {…}}</c>.
/// </summary>
/// <typeparam name="T">The type of <see cref="Result"/>.</typeparam>
public sealed record ApiResponse<T>
{
    /// <summary>Whether the request succeeded ("ok").</summary>
    public bool Ok { get; init; }

    /// <summary>The method's result when <see cref="Ok"/> ("result").</summary>
    public T? Result { get; init; }

    /// <summary>The error code when not <see cref="Ok"/>; follows HTTP status codes ("error_code").</summary>
    public int? ErrorCode { get; init; }

    /// <summary>A human-readable description of the result or error ("description").</summary>
    public string? Description { get; init; }

    /// <summary>How to recover from the error ("parameters").</summary>
    public ResponseParameters? Parameters { get; init; }
}
