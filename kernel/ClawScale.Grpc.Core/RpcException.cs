namespace Grpc.Core;

/// <summary>
/// Thrown by a client when a call ends with a non-OK status, and thrown by a service handler to end the call
/// with a given status and trailers (the server layer turns it into <c>grpc-status</c>/<c>grpc-message</c>).
/// </summary>
public class RpcException : Exception
{
    /// <summary>Creates an exception for <paramref name="status"/> with empty trailers.</summary>
    public RpcException(Status status)
        : this(status, Metadata.Empty, status.ToString())
    {
    }

    /// <summary>Creates an exception for <paramref name="status"/> with empty trailers and a custom message.</summary>
    public RpcException(Status status, string message)
        : this(status, Metadata.Empty, message)
    {
    }

    /// <summary>Creates an exception for <paramref name="status"/> with the given trailers.</summary>
    public RpcException(Status status, Metadata trailers)
        : this(status, trailers, status.ToString())
    {
    }

    /// <summary>Creates an exception for <paramref name="status"/> with trailers and a custom message.</summary>
    public RpcException(Status status, Metadata trailers, string message)
        : base(message, status.DebugException)
    {
        Status = status;
        Trailers = trailers ?? Metadata.Empty;
    }

    /// <summary>The status of the call.</summary>
    public Status Status { get; }

    /// <summary>Shortcut for <c>Status.StatusCode</c>.</summary>
    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>The trailers sent with the status (server) or received (client).</summary>
    public Metadata Trailers { get; }
}
