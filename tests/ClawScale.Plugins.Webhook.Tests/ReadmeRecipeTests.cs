using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Webhook.Tests.Fakes;
using ClawScale.Plugins.Webhook.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Webhook.Tests;

/// <summary>Runs the README's recipes verbatim: the curl + openssl signature and the Python callback check.</summary>
public sealed class ReadmeRecipeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"), Encoding.UTF8);

    [SkippableFact]
    public async Task Curl_recipe_signature_made_with_openssl_is_accepted()
    {
        Skip.IfNot(OnPath("bash") && OnPath("openssl"), "bash and openssl are needed");
        var recipe = Readme.Split('\n').Single(l => l.StartsWith("ts=$(date +%s); sig=", StringComparison.Ordinal));
        const string body = "{\"id\":\"msg-1\",\"chat_id\":\"chat-1\",\"sender\":{\"id\":\"user-42\",\"name\":\"Ada \\\"the first\\\" Lovelace\"},\"text\":\"Hello 100% ✓\"}";

        var output = await RunAsync("bash", ["-c", recipe + "\nprintf '%s %s' \"$ts\" \"$sig\""], new() { ["SECRET"] = TestChannel.Secret, ["body"] = body });
        var parts = output.Split(' ');
        var ts = long.Parse(parts[0], CultureInfo.InvariantCulture);
        var sig = parts[1];
        Assert.Equal(TestSignature.Hex(TestChannel.Secret, parts[0], Encoding.UTF8.GetBytes(body)), sig);

        using var channel = new TestChannel();
        await using var adapter = channel.Create();
        var request = new WebhookRequest
        {
            Method = "POST",
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["X-ClawScale-Timestamp"] = parts[0],
                ["X-ClawScale-Signature"] = "v1=" + sig,
            },
            Body = Encoding.UTF8.GetBytes(body),
            ReceivedAt = DateTimeOffset.FromUnixTimeSeconds(ts).AddSeconds(2),
        };
        var result = await adapter.HandleWebhookAsync(request, CancellationToken.None);
        Assert.Equal(202, result.StatusCode);
        Assert.Equal("Hello 100% ✓", Assert.Single(result.Messages).Text);
    }

    [SkippableFact]
    public async Task Python_snippet_verifies_a_real_callback_and_refuses_a_wrong_secret()
    {
        Skip.IfNot(OnPath("python3"), "python3 is needed");
        var start = Readme.IndexOf("```python\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has a python block");
        start += "```python\n".Length;
        var snippet = Readme[start..Readme.IndexOf("```", start, StringComparison.Ordinal)];

        await using var receiver = await FakeCallbackReceiver.StartAsync();
        using var channel = new TestChannel();
        channel.Time.Advance(DateTimeOffset.UtcNow - channel.Time.GetUtcNow()); // the snippet checks against the real clock
        await using var adapter = channel.Create(receiver.CallbackUrl);
        var sent = await adapter.SendAsync(new OutboundMessage { DeliveryId = "dl_py", IdempotencyKey = "k", ExternalChatId = "c", Text = "Grüße ✓" }, CancellationToken.None);
        Assert.Equal(SendOutcome.Delivered, sent.Outcome);
        var callback = Assert.Single(receiver.Requests);

        var bodyFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(bodyFile, callback.Body);
            var check = snippet + """

import json, os
headers = json.loads(os.environ["HEADERS"])
body = open(os.environ["BODY_FILE"], "rb").read()
print(verify_clawscale(headers, body, os.environ["SECRET"]), verify_clawscale(headers, body, "not-the-secret"), verify_clawscale(headers, body + b" ", os.environ["SECRET"]))
""";
            var headers = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["X-ClawScale-Timestamp"] = callback.Headers["X-ClawScale-Timestamp"],
                ["X-ClawScale-Signature"] = callback.Headers["X-ClawScale-Signature"],
            });
            var output = await RunAsync("python3", ["-c", check], new() { ["HEADERS"] = headers, ["BODY_FILE"] = bodyFile, ["SECRET"] = TestChannel.Secret });
            Assert.Equal("True False False", output.Trim());
        }
        finally
        {
            File.Delete(bodyFile);
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, program)));

    private static async Task<string> RunAsync(string program, string[] args, Dictionary<string, string> env)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in env)
            start.Environment[key] = value;
        start.Environment["LC_ALL"] = "C.UTF-8";
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{program} failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }
}
