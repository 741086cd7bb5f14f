namespace Grpc.Core;

/// <summary>The four kinds of gRPC call.</summary>
public enum MethodType
{
    /// <summary>One request, one response.</summary>
    Unary,
    /// <summary>A request stream, one response.</summary>
    ClientStreaming,
    /// <summary>One request, a response stream.</summary>
    ServerStreaming,
    /// <summary>A request stream and a response stream, independent of each other.</summary>
    DuplexStreaming,
}
