namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>The source of randomness for retry jitter; replaced in tests so backoff values are deterministic.</summary>
internal interface IJitter
{
    /// <summary>A value in [0, 1).</summary>
    double NextDouble();
}
