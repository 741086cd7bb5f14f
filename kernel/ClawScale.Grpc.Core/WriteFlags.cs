namespace Grpc.Core;

/// <summary>Flags for a message write.</summary>
[Flags]
public enum WriteFlags
{
    /// <summary>Hint that the write may be buffered (the streaming writers here flush each message anyway).</summary>
    BufferHint = 0x1,
    /// <summary>Do not compress this message even if the call uses compression.</summary>
    NoCompress = 0x2,
}
