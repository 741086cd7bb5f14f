using ClawScale.Kernel.Pipeline.Delivery;
using ClawScale.Kernel.Pipeline;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>Jitter that always answers <see cref="Value"/> (0.5: no jitter).</summary>
internal sealed class FixedJitter(double value = 0.5) : IJitter
{
    public double Value { get; } = value;

    public double NextDouble() => Value;
}
