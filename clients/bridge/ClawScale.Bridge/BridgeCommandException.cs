namespace ClawScale.Bridge;

/// <summary>The bridge's command failed a turn (non-zero exit, timeout, no output); the message carries a stderr excerpt.</summary>
public sealed class BridgeCommandException(string message) : Exception(message);
