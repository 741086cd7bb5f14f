namespace ClawScale.Kernel.Pipeline;

/// <summary>This kernel process's identity in work claims (<c>claimed_by</c>): host, process id and a random suffix, at most 64 characters.</summary>
internal static class KernelInstance
{
    public static readonly string Id = Create();

    private static string Create()
    {
        var id = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return id.Length <= 64 ? id : id[^64..];
    }
}
