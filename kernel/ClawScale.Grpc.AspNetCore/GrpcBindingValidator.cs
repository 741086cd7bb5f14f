using System.Text;
using ClawScale.Grpc.AspNetCore.Internal;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Grpc.AspNetCore;

/// <summary>
/// Start-up check that the contract is served: every method declared in the given proto files must be mapped
/// (by <c>MapGrpcService</c>) and overridden by the implementation. Services or methods the host deliberately
/// does not implement are listed as exclusions (<c>package.Service</c> or <c>package.Service/Method</c>).
/// </summary>
public static class GrpcBindingValidator
{
    /// <summary>Validates the mapped services against <paramref name="files"/> with no exclusions.</summary>
    /// <exception cref="InvalidOperationException">Lists every unserved method.</exception>
    public static void ValidateGrpcBindings(this IEndpointRouteBuilder endpoints, params FileDescriptor[] files) =>
        ValidateGrpcBindings(endpoints, files, []);

    /// <summary>Validates the mapped services against <paramref name="files"/>.</summary>
    /// <param name="endpoints">The route builder the services were mapped on.</param>
    /// <param name="files">The contract files, e.g. <c>AdminReflection.Descriptor</c>.</param>
    /// <param name="excluded">Services (<c>package.Service</c>) or methods (<c>package.Service/Method</c>) not to check.</param>
    /// <exception cref="InvalidOperationException">Lists every unserved method at once.</exception>
    public static void ValidateGrpcBindings(this IEndpointRouteBuilder endpoints, IEnumerable<FileDescriptor> files, IEnumerable<string> excluded)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        GrpcMarkerService.EnsureRegistered(endpoints.ServiceProvider);
        var registry = endpoints.ServiceProvider.GetRequiredService<GrpcServiceRegistry>();
        var problems = FindProblems(registry, files, excluded);
        if (problems.Count > 0)
        {
            var message = new StringBuilder()
                .Append("gRPC binding check failed: ").Append(problems.Count).Append(" method(s) declared in the contract are not served:")
                .AppendLine();
            foreach (var problem in problems)
            {
                message.Append("  - ").AppendLine(problem);
            }

            message.Append("Map the service with MapGrpcService<TImpl>() and override each method, or list services the host does not implement in the exclusions.");
            throw new InvalidOperationException(message.ToString());
        }
    }

    /// <summary>The problems found, one line per method (<c>package.Service/Method: reason</c>); empty when all is served.</summary>
    internal static IReadOnlyList<string> FindProblems(GrpcServiceRegistry registry, IEnumerable<FileDescriptor> files, IEnumerable<string> excluded)
    {
        ArgumentNullException.ThrowIfNull(files);
        var exclusions = new HashSet<string>(excluded ?? [], StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var file in files.DistinctBy(f => f.Name))
        {
            foreach (var service in file.Services)
            {
                if (exclusions.Contains(service.FullName))
                {
                    continue;
                }

                registry.TryGetService(service.FullName, out var registered);
                foreach (var method in service.Methods)
                {
                    var name = $"{service.FullName}/{method.Name}";
                    if (exclusions.Contains(name))
                    {
                        continue;
                    }

                    if (registered is null)
                    {
                        problems.Add($"{name}: service not mapped");
                    }
                    else if (!registered.Methods.TryGetValue(method.Name, out var hasHandler))
                    {
                        problems.Add($"{name}: method not mapped by {registered.ImplementationType.FullName}");
                    }
                    else if (!hasHandler)
                    {
                        problems.Add($"{name}: has no handler ({registered.ImplementationType.FullName} does not override {method.Name})");
                    }
                }
            }
        }

        return problems;
    }
}
