namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary><see cref="IJitter"/> from <see cref="Random.Shared"/>.</summary>
internal sealed class RandomJitter : IJitter
{
    public double NextDouble() => Random.Shared.NextDouble();
}
