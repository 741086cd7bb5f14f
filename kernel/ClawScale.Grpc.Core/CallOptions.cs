namespace Grpc.Core;

/// <summary>Options of one client call: headers, deadline (UTC), cancellation and write options.</summary>
public readonly struct CallOptions
{
    /// <summary>Creates call options.</summary>
    /// <param name="headers">Request headers, or <c>null</c>.</param>
    /// <param name="deadline">The call deadline (UTC), or <c>null</c> for none. Sent as <c>grpc-timeout</c>.</param>
    /// <param name="cancellationToken">Cancels the call (the client then sees <see cref="StatusCode.Cancelled"/>).</param>
    /// <param name="writeOptions">Write options for request messages, or <c>null</c>.</param>
    public CallOptions(Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default, WriteOptions? writeOptions = null)
    {
        Headers = headers;
        Deadline = deadline;
        CancellationToken = cancellationToken;
        WriteOptions = writeOptions;
    }

    /// <summary>Request headers, or <c>null</c>.</summary>
    public Metadata? Headers { get; }

    /// <summary>The deadline (UTC), or <c>null</c>.</summary>
    public DateTime? Deadline { get; }

    /// <summary>Cancels the call.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Write options, or <c>null</c>.</summary>
    public WriteOptions? WriteOptions { get; }

    /// <summary>Returns a copy with other headers.</summary>
    public CallOptions WithHeaders(Metadata? headers) => new(headers, Deadline, CancellationToken, WriteOptions);

    /// <summary>Returns a copy with another deadline.</summary>
    public CallOptions WithDeadline(DateTime? deadline) => new(Headers, deadline, CancellationToken, WriteOptions);

    /// <summary>Returns a copy with another cancellation token.</summary>
    public CallOptions WithCancellationToken(CancellationToken cancellationToken) => new(Headers, Deadline, cancellationToken, WriteOptions);

    /// <summary>Returns a copy with other write options.</summary>
    public CallOptions WithWriteOptions(WriteOptions? writeOptions) => new(Headers, Deadline, CancellationToken, writeOptions);
}
