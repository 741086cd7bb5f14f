namespace Grpc.Core;

/// <summary>
/// The gRPC status codes, with the numeric values of the gRPC status code specification
/// (doc/statuscodes.md). Sent on the wire as the decimal <c>grpc-status</c> trailer.
/// </summary>
public enum StatusCode
{
    /// <summary>0: not an error; returned on success.</summary>
    OK = 0,
    /// <summary>1: the operation was cancelled, typically by the caller.</summary>
    Cancelled = 1,
    /// <summary>2: unknown error, e.g. an exception thrown by a handler.</summary>
    Unknown = 2,
    /// <summary>3: the client specified an invalid argument.</summary>
    InvalidArgument = 3,
    /// <summary>4: the deadline expired before the operation could complete.</summary>
    DeadlineExceeded = 4,
    /// <summary>5: some requested entity was not found.</summary>
    NotFound = 5,
    /// <summary>6: the entity that a client attempted to create already exists.</summary>
    AlreadyExists = 6,
    /// <summary>7: the caller does not have permission to execute the operation.</summary>
    PermissionDenied = 7,
    /// <summary>16: the request does not have valid authentication credentials.</summary>
    Unauthenticated = 16,
    /// <summary>8: some resource has been exhausted (quota, message size).</summary>
    ResourceExhausted = 8,
    /// <summary>9: the system is not in a state required for the operation's execution.</summary>
    FailedPrecondition = 9,
    /// <summary>10: the operation was aborted, typically due to a concurrency issue.</summary>
    Aborted = 10,
    /// <summary>11: the operation was attempted past the valid range.</summary>
    OutOfRange = 11,
    /// <summary>12: the operation is not implemented or not supported.</summary>
    Unimplemented = 12,
    /// <summary>13: internal error; some invariant expected by the system was broken.</summary>
    Internal = 13,
    /// <summary>14: the service is currently unavailable; retrying may help.</summary>
    Unavailable = 14,
    /// <summary>15: unrecoverable data loss or corruption.</summary>
    DataLoss = 15,
}
