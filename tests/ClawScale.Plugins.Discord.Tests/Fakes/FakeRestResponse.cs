namespace ClawScale.Plugins.Discord.Tests.Fakes;

/// <summary>A scripted answer: status, JSON body, extra headers.</summary>
public sealed record FakeRestResponse(int Status, string? Body, IReadOnlyDictionary<string, string>? Headers = null);
