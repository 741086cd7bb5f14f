namespace ClawScale.Plugins.Line.Model;

/// <summary><c>deliveryContext</c>.</summary>
public sealed record LineDeliveryContext
{
    /// <summary>True when LINE redelivers an event that was not acknowledged before.</summary>
    public bool IsRedelivery { get; init; }
}
