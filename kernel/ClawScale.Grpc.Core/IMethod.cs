namespace Grpc.Core;

/// <summary>A method descriptor without its message types.</summary>
public interface IMethod
{
    /// <summary>The call kind.</summary>
    MethodType Type { get; }

    /// <summary>The fully qualified service name, e.g. <c>clawscale.v1.AdminService</c>.</summary>
    string ServiceName { get; }

    /// <summary>The unqualified method name, e.g. <c>CreateTenant</c>.</summary>
    string Name { get; }

    /// <summary>The HTTP/2 path: <c>/{ServiceName}/{Name}</c>.</summary>
    string FullName { get; }
}
