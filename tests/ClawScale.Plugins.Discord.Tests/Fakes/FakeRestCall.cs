using System.Text.Json;

namespace ClawScale.Plugins.Discord.Tests.Fakes;

/// <summary>One call the fake REST API received.</summary>
public sealed record FakeRestCall(string Method, string Path, string? Authorization, JsonElement? Json);
