namespace Grpc.Core;

/// <summary>
/// The result of a call: a <see cref="Core.StatusCode"/> plus an optional human-readable detail
/// (sent percent-encoded as <c>grpc-message</c>, per the gRPC over HTTP/2 protocol spec).
/// </summary>
public readonly struct Status : IEquatable<Status>
{
    /// <summary>The status of a successful call (<see cref="StatusCode.OK"/>, empty detail).</summary>
    public static readonly Status DefaultSuccess = new(StatusCode.OK, "");

    /// <summary>The status of a cancelled call (<see cref="StatusCode.Cancelled"/>, empty detail).</summary>
    public static readonly Status DefaultCancelled = new(StatusCode.Cancelled, "");

    /// <summary>Creates a status.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <param name="detail">The detail message; <c>null</c> is treated as empty.</param>
    public Status(StatusCode statusCode, string detail)
        : this(statusCode, detail, null)
    {
    }

    /// <summary>Creates a status with an exception kept locally for diagnostics (never sent on the wire).</summary>
    /// <param name="statusCode">The status code.</param>
    /// <param name="detail">The detail message; <c>null</c> is treated as empty.</param>
    /// <param name="debugException">The exception that caused this status, or <c>null</c>.</param>
    public Status(StatusCode statusCode, string detail, Exception? debugException)
    {
        StatusCode = statusCode;
        Detail = detail ?? "";
        DebugException = debugException;
    }

    /// <summary>The status code.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The detail message (never <c>null</c>).</summary>
    public string Detail { get; }

    /// <summary>A local-only exception for diagnostics; not transmitted.</summary>
    public Exception? DebugException { get; }

    /// <inheritdoc />
    public bool Equals(Status other) => StatusCode == other.StatusCode && Detail == other.Detail;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Status other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StatusCode, Detail);

    /// <summary>Compares two statuses by code and detail.</summary>
    public static bool operator ==(Status left, Status right) => left.Equals(right);

    /// <summary>Compares two statuses by code and detail.</summary>
    public static bool operator !=(Status left, Status right) => !left.Equals(right);

    /// <summary>Formats the status as <c>Status(StatusCode="…", Detail="…")</c>, like Grpc.Core.</summary>
    public override string ToString() =>
        DebugException is null
            ? $"Status(StatusCode=\"{StatusCode}\", Detail=\"{Detail}\")"
            : $"Status(StatusCode=\"{StatusCode}\", Detail=\"{Detail}\", DebugException=\"{DebugException.GetType()}: {DebugException.Message}\")";
}
