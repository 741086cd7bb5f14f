namespace ClawScale.Kernel.Pipeline.Dispatch;

/// <summary>DISPATCH's <see cref="WorkPool{THandOff}"/>: ACCEPT hands off the turns it stored already claimed, with their inputs.</summary>
internal sealed class TurnPool(Microsoft.Extensions.Options.IOptions<PipelineOptions> options) : WorkPool<TurnInput>(options.Value.MaxConcurrentTurns);
