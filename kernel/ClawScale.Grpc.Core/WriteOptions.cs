namespace Grpc.Core;

/// <summary>Options for writing messages; <see cref="WriteFlags.NoCompress"/> turns per-message compression off.</summary>
public class WriteOptions
{
    /// <summary>Default options (no flags).</summary>
    public static readonly WriteOptions Default = new();

    /// <summary>Creates write options.</summary>
    /// <param name="flags">The flags.</param>
    public WriteOptions(WriteFlags flags = default) => Flags = flags;

    /// <summary>The flags.</summary>
    public WriteFlags Flags { get; }
}
