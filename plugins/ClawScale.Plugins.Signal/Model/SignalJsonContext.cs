using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Signal.Model;

/// <summary>Source-generated System.Text.Json metadata for the signal-cli-rest-api shapes.</summary>
[JsonSerializable(typeof(SignalReceived))]
[JsonSerializable(typeof(IReadOnlyList<SignalReceived>))]
[JsonSerializable(typeof(SignalSendRequest))]
[JsonSerializable(typeof(SignalSendResponse))]
[JsonSerializable(typeof(SignalError))]
[JsonSerializable(typeof(SignalAbout))]
public sealed partial class SignalJsonContext : JsonSerializerContext;
