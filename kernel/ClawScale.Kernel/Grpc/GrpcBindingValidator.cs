using System.Reflection;
using System.Text;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;

namespace ClawScale.Kernel.Grpc;

/// <summary>
/// Start-up check that the contract is served: every method declared in the given proto files must be mapped (by
/// <c>MapGrpcService</c>, which gives each endpoint grpc-dotnet's <see cref="GrpcMethodMetadata"/>) and overridden by
/// the implementation (a method left to the generated base answers UNIMPLEMENTED). grpc-dotnet has no such check.
/// Services or methods a host deliberately does not implement are listed as exclusions
/// (<c>package.Service</c> or <c>package.Service/Method</c>).
/// </summary>
internal static class GrpcBindingValidator
{
    /// <summary>Validates the endpoints mapped on <paramref name="endpoints"/> against <paramref name="files"/>.</summary>
    /// <param name="endpoints">The route builder the services were mapped on.</param>
    /// <param name="files">The contract files, e.g. <c>AdminReflection.Descriptor</c>.</param>
    /// <param name="excluded">Services (<c>package.Service</c>) or methods (<c>package.Service/Method</c>) not to check.</param>
    /// <exception cref="InvalidOperationException">Lists every unserved method at once, and what to do.</exception>
    public static void ValidateGrpcBindings(this IEndpointRouteBuilder endpoints, IEnumerable<FileDescriptor> files, IEnumerable<string> excluded)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var mapped = endpoints.DataSources
            .SelectMany(d => d.Endpoints)
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>())
            .OfType<GrpcMethodMetadata>()
            .ToList();
        var problems = FindProblems(mapped, files, excluded);
        if (problems.Count == 0) return;

        var message = new StringBuilder()
            .Append("gRPC binding check failed: ").Append(problems.Count).Append(" method(s) declared in the contract are not served:")
            .AppendLine();
        foreach (var problem in problems) message.Append("  - ").AppendLine(problem);
        message.Append("Map the service with MapGrpcService<TImpl>() and override each method, or list services the host does not implement in the exclusions.");
        throw new InvalidOperationException(message.ToString());
    }

    /// <summary>The problems found, one line per method (<c>package.Service/Method: reason</c>); empty when all is served.</summary>
    internal static IReadOnlyList<string> FindProblems(IReadOnlyCollection<GrpcMethodMetadata> mapped, IEnumerable<FileDescriptor> files, IEnumerable<string> excluded)
    {
        ArgumentNullException.ThrowIfNull(files);
        var exclusions = new HashSet<string>(excluded ?? [], StringComparer.Ordinal);
        var byName = mapped
            .GroupBy(m => m.Method.FullName.TrimStart('/'), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var mappedServices = mapped.Select(m => m.Method.ServiceName).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var service in files.DistinctBy(f => f.Name).SelectMany(f => f.Services))
        {
            if (exclusions.Contains(service.FullName)) continue;
            foreach (var method in service.Methods)
            {
                var name = $"{service.FullName}/{method.Name}";
                if (exclusions.Contains(name)) continue;
                if (!byName.TryGetValue(name, out var metadata))
                {
                    problems.Add(mappedServices.Contains(service.FullName) ? $"{name}: method not mapped" : $"{name}: service not mapped");
                }
                else if (!Overrides(metadata.ServiceType, method.Name))
                {
                    problems.Add($"{name}: has no handler ({metadata.ServiceType.FullName} does not override {method.Name})");
                }
            }
        }

        return problems;
    }

    /// <summary>Whether <paramref name="serviceType"/> overrides the generated base's virtual <paramref name="methodName"/>.</summary>
    private static bool Overrides(Type serviceType, string methodName) =>
        serviceType.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == methodName && m.IsVirtual)
            .Any(m => m.GetBaseDefinition().DeclaringType != m.DeclaringType);
}
