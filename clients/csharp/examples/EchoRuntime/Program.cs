using ClawScale.Client;
using ClawScale.Client.Runtime;
using ClawScale.Protos.V1;

// CLAWSCALE_API_KEY: a runtime key; CLAWSCALE_AGENT_ID: the external agent it serves.
using var client = new ClawScaleClient(new Uri("http://127.0.0.1:4041"), Environment.GetEnvironmentVariable("CLAWSCALE_API_KEY"));
var worker = client.CreateRuntimeWorker(
    RuntimeWorker.FromTask((turn, ct) => Task.FromResult<IReadOnlyList<ReplyMessage>>([new ReplyMessage { Text = "You said: " + turn.Message.Text }])),
    new RuntimeWorkerOptions { AgentIds = [Environment.GetEnvironmentVariable("CLAWSCALE_AGENT_ID")!] });
await worker.RunAsync(CancellationToken.None);
