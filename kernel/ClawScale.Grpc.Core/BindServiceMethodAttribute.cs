using System.Diagnostics.CodeAnalysis;

namespace Grpc.Core;

/// <summary>
/// Put by Grpc.Tools on a generated service base class: names the static method that binds the service's
/// methods to a <see cref="ServiceBinderBase"/> (<c>BindService(ServiceBinderBase, TServiceBase)</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class BindServiceMethodAttribute : Attribute
{
    private const DynamicallyAccessedMemberTypes BindMethodMembers = DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods;

    /// <summary>Creates the attribute.</summary>
    /// <param name="bindType">The type declaring the bind method.</param>
    /// <param name="bindMethodName">The name of the static bind method.</param>
    public BindServiceMethodAttribute([DynamicallyAccessedMembers(BindMethodMembers)] Type bindType, string bindMethodName)
    {
        BindType = bindType;
        BindMethodName = bindMethodName;
    }

    /// <summary>The type declaring the bind method.</summary>
    [DynamicallyAccessedMembers(BindMethodMembers)]
    public Type BindType { get; }

    /// <summary>The name of the static bind method.</summary>
    public string BindMethodName { get; }
}
