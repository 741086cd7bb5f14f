using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ClawScale.Bench;
using Grpc.Net.Client;
using ClawScale.Protos.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

// The benchmark harness of issue 6. Started by run.sh, which builds Release and starts a throwaway PostgreSQL cluster.
// Arguments: --repo <root> --pg-host 127.0.0.1 --pg-port <port> --pg-bin <dir> --pg-pid <postmaster pid> --out <file.md>
//            [--duration 20] [--rate 1000] [--clients 32] [--only pipeline|grpc|pgbench] [--dbs postgresql,sqlite] [--pg-conn-extra "No Reset On Close=true"] [--grpc-runs 3] [--chats 20000]
var opts = Args.Parse(args);
var bench = new Bench(opts);
return await bench.RunAsync();

namespace ClawScale.Bench
{
    internal sealed record Args(string Repo, string PgHost, int PgPort, string PgBin, int PgPid, string Out, int Duration, int Rate, int Clients, string Only, string Dbs, string PgConnExtra, int GrpcRuns, int Chats = 20_000)
    {
        public static Args Parse(string[] a)
        {
            string Get(string name, string? def = null)
            {
                var i = Array.IndexOf(a, name);
                return i >= 0 && i + 1 < a.Length ? a[i + 1] : def ?? throw new ArgumentException("missing " + name);
            }

            return new Args(Get("--repo"), Get("--pg-host", "127.0.0.1"), int.Parse(Get("--pg-port")), Get("--pg-bin"), int.Parse(Get("--pg-pid", "0")),
                Get("--out"), int.Parse(Get("--duration", "20")), int.Parse(Get("--rate", "1000")), int.Parse(Get("--clients", "32")), Get("--only", "all"), Get("--dbs", "postgresql,sqlite"), Get("--pg-conn-extra", ""), int.Parse(Get("--grpc-runs", "3")), int.Parse(Get("--chats", "20000")));
        }

        /// <summary>True when <paramref name="part"/> (pipeline, pgbench, grpc) is selected by <c>--only</c> (all, or a comma-separated list).</summary>
        public bool Runs(string part) => Only == "all" || Only.Split(',').Contains(part);
    }

    /// <summary>What one webhook run measured.</summary>
    internal sealed record RunResult(
        string Db, string Mode, int Offered, int Sent, int Acked, int Failed, int Replies, double SendSeconds, double WallSeconds,
        double MsgsPerSec, double AckPerSec, double AckP50, double AckP99, double AckMax, double E2eP50, double E2eP99, double E2eMax,
        double KernelCpuPct, double PgCpuPct, double MachineCpuPct, double BenchCpuPct, long PeakRssMb, double? XactPerMsg, double? RowsWrittenPerMsg,
        double CpuSeconds = 0, double? StatementsPerMsg = null, string? TopStatements = null)
    {
        /// <summary>Kernel CPU milliseconds per delivered reply.</summary>
        public double KernelMsPerMsg => Replies == 0 ? 0 : KernelCpuPct / 100 * CpuSeconds * 1000 / Replies;

        /// <summary>PostgreSQL CPU milliseconds per delivered reply.</summary>
        public double PgMsPerMsg => Replies == 0 ? 0 : PgCpuPct / 100 * CpuSeconds * 1000 / Replies;
    }

    /// <summary>One h2load run against one server: calls/s, the server process's CPU µs per call, h2load's summary lines.</summary>
    internal sealed record GrpcRun(double Rps, double CpuMicrosPerCall, string Detail);

    /// <summary>All runs of one gRPC path, each the kernel then the fixed-body server.</summary>
    internal sealed record GrpcResult(string Path, List<(GrpcRun Kernel, GrpcRun Fixed)> Runs);

    internal sealed class Bench(Args o)
    {
        private const string BotToken = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
        private const string Secret = "bench_secret-0123456789abcdef";
        /// <summary>Distinct private chats (one sender each), round-robin: 20,000 makes every message of a 20 s run a first-time sender; fewer make returning senders.</summary>
        private int Chats => o.Chats;
        private static readonly double TickMs = 1000.0 / Stopwatch.Frequency;

        private readonly string _adminKey = "csk_bench_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        private readonly StringBuilder _log = new();
        private FakeBotApi _fake = null!;

        private string KernelDll => Path.Combine(o.Repo, "kernel/ClawScale.Kernel/bin/Release/net10.0/ClawScale.Kernel.dll");

        public async Task<int> RunAsync()
        {
            _fake = await FakeBotApi.StartAsync();
            var results = new List<RunResult>();
            (double Tps, string Raw)? pgbench = null;
            var grpc = new List<GrpcResult>();
            var started = DateTime.UtcNow;

            if (o.Runs("pipeline"))
            {
                foreach (var db in o.Dbs.Split(','))
                {
                    results.Add(await RunPipelineAsync(db, saturation: false));
                    results.Add(await RunPipelineAsync(db, saturation: true));
                }
            }

            if (o.Runs("pgbench"))
                pgbench = await RunPgbenchAsync();
            if (o.Runs("grpc"))
                grpc = await RunGrpcAsync();

            var report = Report(results, pgbench, grpc, started);
            Console.WriteLine(report);
            Directory.CreateDirectory(Path.GetDirectoryName(o.Out)!);
            await File.WriteAllTextAsync(o.Out, report);
            Console.WriteLine("Written to " + o.Out);
            await _fake.DisposeAsync();
            return 0;
        }

        // ---------------------------------------------------------------------------------------------------------------
        // Webhook → kernel → echo agent → sendMessage at the fake.

        private async Task<RunResult> RunPipelineAsync(string db, bool saturation)
        {
            var mode = saturation ? $"saturation ({o.Clients} clients)" : $"offered {o.Rate} msg/s";
            Say($"== {db}, {mode}");
            string? conn = null;
            var dbName = "bench_" + Guid.NewGuid().ToString("N")[..10];
            if (db == "postgresql")
            {
                await Psql("postgres", $"CREATE DATABASE {dbName}");
                conn = $"Host={o.PgHost};Port={o.PgPort};Username=postgres;Database={dbName}" + (o.PgConnExtra.Length > 0 ? ";" + o.PgConnExtra : "");
            }

            await using var kernel = await KernelProcess.StartAsync(KernelDll, o.Repo, conn, _adminKey, Say, pipelineBenchSettings: true);
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{kernel.GrpcPort}");
            var admin = new AdminService.AdminServiceClient(channel);
            var auth = new Metadata { { "authorization", "Bearer " + _adminKey } };
            var tenant = (await admin.CreateTenantAsync(new CreateTenantRequest { Slug = "bench" + dbName[6..], DisplayName = "Bench" }, auth)).Tenant;
            var agent = (await admin.CreateAgentAsync(new CreateAgentRequest { TenantId = tenant.Id, Name = "echo", Kind = "echo" }, auth)).Agent;
            await admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { TenantId = tenant.Id, AgentId = agent.Id }, auth);
            _fake.WebhookUrl = null;
            var ch = (await admin.CreateChannelAsync(new CreateChannelRequest
            {
                TenantId = tenant.Id, Kind = "telegram", DisplayName = "Bench bot",
                Config = { ["mode"] = "webhook", ["api_base_url"] = _fake.BaseUrl },
                Credentials = { ["bot_token"] = BotToken },
                WebhookSecret = Secret,
            }, auth)).Channel;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (_fake.WebhookUrl is null)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("setWebhook never came");
                await Task.Delay(20);
            }

            var webhook = new Uri($"http://127.0.0.1:{kernel.HttpPort}/webhooks/{ch.Id}");
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false })
            { Timeout = TimeSpan.FromSeconds(30) };

            // Warm-up (JIT, pools, caches): 500 messages closed loop, all replies awaited; not measured.
            var warm = new LoadRun(http, webhook, _fake, 1_000_000, 500, Chats);
            await warm.ClosedLoopAsync(16, TimeSpan.FromSeconds(30));
            await warm.DrainAsync(TimeSpan.FromSeconds(30));
            Say($"   warm-up: {warm.Replies}/{warm.Acked} replies");

            var maxMessages = saturation ? 2_000_000 : o.Rate * o.Duration;
            var run = new LoadRun(http, webhook, _fake, 10_000_000, maxMessages, Chats);
            var stats0 = await DbStatsAsync(db, dbName);
            var statements = db == "postgresql" && await StatementsResetAsync();
            var cpu0 = Cpu.Sample(kernel.Pid, o.PgPid);
            var t0 = Stopwatch.GetTimestamp();
            if (saturation)
                await run.ClosedLoopAsync(o.Clients, TimeSpan.FromSeconds(o.Duration));
            else
                await run.OpenLoopAsync(o.Rate, maxMessages);
            var sendSeconds = (Stopwatch.GetTimestamp() - t0) * TickMs / 1000;
            await run.DrainAsync(TimeSpan.FromSeconds(60));
            var cpu1 = Cpu.Sample(kernel.Pid, o.PgPid);
            var lastReply = run.LastReplyTicks;
            var wall = (Math.Max(lastReply, t0) - t0) * TickMs / 1000;
            if (wall <= 0) wall = sendSeconds;
            await Task.Delay(1500); // PostgreSQL flushes its statistics at most once a second
            var stats1 = await DbStatsAsync(db, dbName);
            var (statementCalls, top) = statements ? await StatementsReadAsync(dbName) : (0L, null);
            var rss = kernel.PeakRssMb();
            var replies = run.Replies;
            var cpuSeconds = (cpu1.Wall - cpu0.Wall);
            double? xact = stats0 is null || replies == 0 ? null : (stats1!.Value.Xact - stats0.Value.Xact) / (double)replies;
            double? rows = stats0 is null || replies == 0 ? null : (stats1!.Value.Rows - stats0.Value.Rows) / (double)replies;
            var r = new RunResult(db, mode, saturation ? 0 : o.Rate, run.Sent, run.Acked, run.Failed, replies, sendSeconds, wall,
                replies / wall, run.Acked / sendSeconds,
                run.AckPercentile(50), run.AckPercentile(99), run.AckPercentile(100), run.E2ePercentile(50), run.E2ePercentile(99), run.E2ePercentile(100),
                100 * (cpu1.Kernel - cpu0.Kernel) / cpuSeconds, 100 * (cpu1.Pg - cpu0.Pg) / cpuSeconds, 100 * (cpu1.MachineBusy - cpu0.MachineBusy) / (cpu1.MachineTotal - cpu0.MachineTotal),
                100 * (cpu1.Bench - cpu0.Bench) / cpuSeconds, rss, xact, rows,
                cpuSeconds, statements && replies > 0 ? statementCalls / (double)replies : null, top);
            Say($"   sent {r.Sent}, acked {r.Acked}, failed {r.Failed} ({run.FailureSummary}), replies {r.Replies}, {r.MsgsPerSec:0} msg/s, ack p50/p99 {r.AckP50:0.0}/{r.AckP99:0.0} ms, e2e p50/p99 {r.E2eP50:0.0}/{r.E2eP99:0.0} ms, kernel CPU {r.KernelCpuPct:0}%, pg CPU {r.PgCpuPct:0}%, RSS {r.PeakRssMb} MB, xact/msg {xact:0.0}, rows/msg {rows:0.0}, statements/msg {r.StatementsPerMsg:0.0}, kernel {r.KernelMsPerMsg:0.00} ms/msg, pg {r.PgMsPerMsg:0.00} ms/msg");
            if (kernel.Errors.Count > 0)
                Say("   kernel errors (first 5): " + string.Join(" | ", kernel.Errors.Take(5)));
            return r;
        }

        /// <summary>
        /// Resets pg_stat_statements when the server has it loaded (run.sh starts PostgreSQL with
        /// <c>shared_preload_libraries=pg_stat_statements</c>); false when it is not available.
        /// </summary>
        private async Task<bool> StatementsResetAsync()
        {
            try
            {
                await Psql("postgres", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                await Psql("postgres", "SELECT pg_stat_statements_reset()");
                return true;
            }
            catch (Exception ex)
            {
                Say("   pg_stat_statements not available: " + ex.Message.Split('\n')[0]);
                return false;
            }
        }

        /// <summary>Statement calls in the kernel's database since the reset, and the top statements by total time as a table.</summary>
        private async Task<(long Calls, string Top)> StatementsReadAsync(string dbName)
        {
            var filter = $"dbid = (SELECT oid FROM pg_database WHERE datname = '{dbName}')";
            var calls = long.Parse((await Psql("postgres", $"SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE {filter}")).Trim(), CultureInfo.InvariantCulture);
            var rows = await Psql("postgres",
                "SELECT calls, round(total_exec_time::numeric, 0), round(mean_exec_time::numeric, 3), rows, " +
                "regexp_replace(left(regexp_replace(query, '\\s+', ' ', 'g'), 150), '[|]', '/', 'g') " +
                $"FROM pg_stat_statements WHERE {filter} ORDER BY total_exec_time DESC LIMIT 12");
            var sb = new StringBuilder("| calls | total ms | mean ms | rows | statement (first 150 characters) |\n|---:|---:|---:|---:|---|\n");
            foreach (var line in rows.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var f = line.Split('|', 5);
                if (f.Length == 5) sb.Append($"| {f[0]} | {f[1]} | {f[2]} | {f[3]} | `{f[4].Replace("`", "'")}` |\n");
            }

            return (calls, sb.ToString());
        }

        private async Task<(long Xact, long Rows)?> DbStatsAsync(string db, string dbName)
        {
            if (db != "postgresql") return null;
            var line = (await Psql("postgres", $"SELECT xact_commit, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = '{dbName}'")).Trim();
            var parts = line.Split('|');
            return (long.Parse(parts[0]), long.Parse(parts[1]));
        }

        // ---------------------------------------------------------------------------------------------------------------
        // pgbench: single-row INSERTs (one transaction each), the same number of clients as the saturation run.

        private async Task<(double Tps, string Raw)> RunPgbenchAsync()
        {
            Say($"== pgbench, single-row INSERT, {o.Clients} clients, {o.Duration} s");
            await Psql("postgres", "DROP DATABASE IF EXISTS bench_pgbench");
            await Psql("postgres", "CREATE DATABASE bench_pgbench");
            await Psql("bench_pgbench", "CREATE TABLE rows (id bigserial PRIMARY KEY, chat bigint NOT NULL, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
            var script = Path.Combine(Path.GetTempPath(), "clawscale-bench-insert.sql");
            await File.WriteAllTextAsync(script, "\\set chat random(1, 20000)\nINSERT INTO rows (chat, body) VALUES (:chat, 'echo: hello from the benchmark');\n");
            var output = await Exec(Path.Combine(o.PgBin, "pgbench"),
                ["-n", "-h", o.PgHost, "-p", o.PgPort.ToString(), "-U", "postgres", "-c", o.Clients.ToString(), "-j", "2", "-T", o.Duration.ToString(), "-f", script, "bench_pgbench"]);
            var tpsLine = output.Split('\n').FirstOrDefault(l => l.StartsWith("tps", StringComparison.Ordinal)) ?? "";
            var tps = double.Parse(tpsLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
            var latency = output.Split('\n').FirstOrDefault(l => l.StartsWith("latency average", StringComparison.Ordinal)) ?? "";
            Say($"   {tpsLine.Trim()}; {latency.Trim()}");
            return (tps, $"{tpsLine.Trim()}; {latency.Trim()}");
        }

        // ---------------------------------------------------------------------------------------------------------------
        // gRPC unary (h2load) against the kernel and against a fixed-body Kestrel HTTP/2 endpoint answering the same bytes.

        private async Task<List<GrpcResult>> RunGrpcAsync()
        {
            var list = new List<GrpcResult>();
            // The kernel with its production defaults (no pipeline tuning: its workers poll at the default interval),
            // SQLite, log level Warning; the fixed-body server is configured the same way (FixedBodyServer).
            await using var kernel = await KernelProcess.StartAsync(KernelDll, o.Repo, null, _adminKey, Say, pipelineBenchSettings: false);
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{kernel.GrpcPort}");
            var admin = new AdminService.AdminServiceClient(channel);
            var auth = new Metadata { { "authorization", "Bearer " + _adminKey } };
            var tenant = (await admin.CreateTenantAsync(new CreateTenantRequest { Slug = "grpcbench", DisplayName = "gRPC bench" }, auth)).Tenant;

            var healthReq = Frame([]); // HealthCheckRequest{} (empty service name)
            var healthResp = Frame([0x08, 0x01]); // HealthCheckResponse{status: SERVING}
            var getTenantReq = Frame(new GetTenantRequest { TenantId = tenant.Id }.ToByteArray());
            var getTenantResp = Frame((await admin.GetTenantAsync(new GetTenantRequest { TenantId = tenant.Id }, auth)).ToByteArray());

            await using var fixedServer = await FixedBodyServer.StartAsync(new Dictionary<string, byte[]>
            {
                ["/grpc.health.v1.Health/Check"] = healthResp,
                ["/clawscale.v1.AdminService/GetTenant"] = getTenantResp,
            });
            var benchPid = Environment.ProcessId;

            async Task<GrpcRun> H2load(int port, int pid, string path, byte[] body, bool withKey)
            {
                var file = Path.Combine(Path.GetTempPath(), "clawscale-bench-" + path.Replace('/', '_'));
                await File.WriteAllBytesAsync(file, body);
                var a = new List<string> { "-D", "10", "--warm-up-time=2", "-c", "16", "-m", "16", "-t", "1", "-d", file,
                    "-H", "content-type: application/grpc", "-H", "te: trailers" };
                if (withKey) a.AddRange(["-H", "authorization: Bearer " + _adminKey]);
                a.Add($"http://127.0.0.1:{port}{path}");
                // CPU seconds of the serving process over the whole h2load run (warm-up included, as are its requests
                // in "requests: N done"): a per-call cost that other jobs on the machine disturb less than req/s.
                var cpu0 = Cpu.ProcessSeconds(pid);
                var output = await Exec("h2load", a);
                var cpu1 = Cpu.ProcessSeconds(pid);
                var finished = output.Split('\n').FirstOrDefault(l => l.StartsWith("finished in", StringComparison.Ordinal)) ?? "";
                var requests = output.Split('\n').FirstOrDefault(l => l.StartsWith("requests:", StringComparison.Ordinal)) ?? "";
                var status = output.Split('\n').FirstOrDefault(l => l.StartsWith("status codes:", StringComparison.Ordinal)) ?? "";
                var reqLatency = output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("time for request:", StringComparison.Ordinal)) ?? "";
                var rps = double.Parse(finished.Split(',')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                var done = long.Parse(requests.Split(',')[2].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                var detail = $"{requests.Trim()}; {status.Trim()}; {System.Text.RegularExpressions.Regex.Replace(reqLatency.Trim(), @"\s+", " ")}";
                return new GrpcRun(rps, done == 0 ? double.NaN : (cpu1 - cpu0) * 1e6 / done, detail);
            }

            foreach (var (path, req, key) in new[] { ("/grpc.health.v1.Health/Check", healthReq, false), ("/clawscale.v1.AdminService/GetTenant", getTenantReq, true) })
            {
                Say($"== h2load {path}: {o.GrpcRuns} runs, each the kernel then the fixed-body Kestrel (load before: {File.ReadAllText("/proc/loadavg").Trim()})");
                // Warm-up of both servers (JIT tiering, pools), not recorded: h2load's own 2 s warm-up is too short for a
                // freshly started kernel on a busy machine (its first run measured 2-3x the CPU per call of later ones).
                await H2load(kernel.GrpcPort, kernel.Pid, path, req, key);
                await H2load(fixedServer.Port, benchPid, path, req, key);
                var runs = new List<(GrpcRun Kernel, GrpcRun Fixed)>();
                for (var i = 0; i < o.GrpcRuns; i++)
                {
                    var k = await H2load(kernel.GrpcPort, kernel.Pid, path, req, key);
                    var f = await H2load(fixedServer.Port, benchPid, path, req, key);
                    Say($"   run {i + 1}: kernel {k.Rps:0} req/s ({k.CpuMicrosPerCall:0.0} µs CPU/call), fixed {f.Rps:0} req/s ({f.CpuMicrosPerCall:0.0} µs CPU/call), ratio {k.Rps / f.Rps:0.00}");
                    Say($"      kernel: {k.Detail}");
                    Say($"      fixed:  {f.Detail}");
                    runs.Add((k, f));
                }

                list.Add(new GrpcResult(path, runs));
            }

            return list;
        }

        private static byte[] Frame(byte[] message)
        {
            var frame = new byte[5 + message.Length];
            frame[1] = (byte)(message.Length >> 24);
            frame[2] = (byte)(message.Length >> 16);
            frame[3] = (byte)(message.Length >> 8);
            frame[4] = (byte)message.Length;
            message.CopyTo(frame, 5);
            return frame;
        }

        // ---------------------------------------------------------------------------------------------------------------

        private string Report(List<RunResult> results, (double Tps, string Raw)? pgbench, List<GrpcResult> grpc, DateTime started)
        {
            var cpuModel = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
            var memKb = long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
            var sb = new StringBuilder();
            sb.AppendLine($"# ClawScale benchmark, {started:yyyy-MM-dd HH:mm} UTC");
            sb.AppendLine();
            sb.AppendLine($"Machine: {Environment.ProcessorCount} cores ({cpuModel}), {memKb / 1024.0 / 1024:0.0} GiB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}. " +
                          "Everything (kernel, PostgreSQL, fake Bot API, load generator, pgbench, h2load) on this one machine over 127.0.0.1.");
            sb.AppendLine();
            if (results.Count > 0)
            {
                sb.AppendLine($"Kernel settings changed for the benchmark: `Pipeline:SenderMessagesPerMinute=1000000` (default 60), `Pipeline:SendRatePerChannel=100000` (default 30/s, Telegram's bot limit), " +
                              $"`Pipeline:SendConcurrencyPerChannel=64` (default 8), `Pipeline:PollInterval=00:00:00.100` (default 1 s), `Logging:LogLevel:Default=Warning`. " +
                              $"One Telegram channel in webhook mode, echo agent bound by default, {Chats} distinct private chats (one sender each) round-robin, each update a new `update_id`. " +
                              (o.PgConnExtra.Length > 0 ? $"Kernel connection string extra: `{o.PgConnExtra}`. " : "") + "PostgreSQL 15 default settings (fsync on, synchronous_commit on) except max_connections=300, a throwaway cluster; SQLite is the kernel's embedded default (file in a temp data directory).");
                sb.AppendLine();
                sb.AppendLine("## Webhook → reply, end to end");
                sb.AppendLine();
                sb.AppendLine("| database | load | sent | acked 200 | failed | replies | msgs/s end to end | ack p50 / p99 / max (ms) | inbound→delivered p50 / p99 / max (ms) | kernel CPU | PostgreSQL CPU | machine CPU | bench CPU | kernel peak RSS | PG transactions / msg | PG rows written / msg | PG statements / msg | kernel CPU ms / msg | PG CPU ms / msg |");
                sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                foreach (var r in results)
                    sb.AppendLine($"| {r.Db} | {r.Mode} | {r.Sent} | {r.Acked} | {r.Failed} | {r.Replies} | **{r.MsgsPerSec:0}** | {r.AckP50:0.0} / {r.AckP99:0.0} / {r.AckMax:0} | {r.E2eP50:0.0} / {r.E2eP99:0.0} / {r.E2eMax:0} | {r.KernelCpuPct:0}% | {(r.Db == "postgresql" ? $"{r.PgCpuPct:0}%" : "–")} | {r.MachineCpuPct:0}% of {Environment.ProcessorCount} cores | {r.BenchCpuPct:0}% | {r.PeakRssMb} MB | {(r.XactPerMsg is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) : "–")} | {(r.RowsWrittenPerMsg is { } w ? w.ToString("0.0", CultureInfo.InvariantCulture) : "–")} | {(r.StatementsPerMsg is { } st ? st.ToString("0.0", CultureInfo.InvariantCulture) : "–")} | {r.KernelMsPerMsg:0.00} | {(r.Db == "postgresql" ? r.PgMsPerMsg.ToString("0.00", CultureInfo.InvariantCulture) : "–")} |");
                sb.AppendLine();
                sb.AppendLine("msgs/s = replies received by the fake Bot API / (first send → last reply). ack = webhook POST → response headers, measured by the client from the message's scheduled send time (open loop) or from the send (closed loop). " +
                              "inbound→delivered = the send timestamp carried in the Update text, read back from the echo reply at the fake's sendMessage. CPU in % of one core over the run (send + drain); peak RSS = VmHWM of the kernel process, which is started fresh for each run. " +
                              "PG transactions / msg = `pg_stat_database.xact_commit` delta / replies (every statement outside an explicit transaction counts as one, so this is close to the number of round trips that each commit separately, including the workers' idle polling); rows written = tup_inserted + tup_updated + tup_deleted delta / replies; statements = `pg_stat_statements` calls in the kernel's database / replies; CPU ms / msg = the process's CPU time over the run / replies.");
                sb.AppendLine();
                foreach (var r in results.Where(r => r.TopStatements is not null))
                {
                    sb.AppendLine($"Top statements by total execution time, {r.Db}, {r.Mode} (`pg_stat_statements`):");
                    sb.AppendLine();
                    sb.AppendLine(r.TopStatements);
                }
            }

            var pgSat = results.FirstOrDefault(r => r.Db == "postgresql" && r.Mode.StartsWith("saturation", StringComparison.Ordinal));
            if (pgbench is { } pb)
            {
                sb.AppendLine("## PostgreSQL baseline (same run, same cluster)");
                sb.AppendLine();
                sb.AppendLine($"pgbench, one single-row INSERT per transaction, {o.Clients} clients, 2 threads, {o.Duration} s: **{pb.Tps:0} tps** ({pb.Raw}).");
                if (pgSat is not null)
                    sb.AppendLine($"Kernel saturation on PostgreSQL / pgbench = {pgSat.MsgsPerSec:0} / {pb.Tps:0} = **{pgSat.MsgsPerSec / pb.Tps:0.000}**.");
                sb.AppendLine();
            }

            if (grpc.Count > 0 && grpc.All(g => g.Runs.Count > 0))
            {
                sb.AppendLine($"## gRPC unary vs fixed-body HTTP/2 (h2load, 16 connections × 16 streams, 1 thread, 10 s after 2 s warm-up; {o.GrpcRuns} runs each, alternating, after one unrecorded run of each)");
                sb.AppendLine();
                sb.AppendLine("| endpoint | kernel req/s | fixed-body req/s | ratio per run | ratio min–median–max | kernel / fixed-body µs CPU per call (median) |");
                sb.AppendLine("|---|---:|---:|---:|---:|---:|");
                foreach (var g in grpc)
                {
                    var ratios = g.Runs.Select(r => r.Kernel.Rps / r.Fixed.Rps).ToArray();
                    sb.AppendLine($"| {g.Path} | {string.Join(", ", g.Runs.Select(r => r.Kernel.Rps.ToString("0", CultureInfo.InvariantCulture)))} | {string.Join(", ", g.Runs.Select(r => r.Fixed.Rps.ToString("0", CultureInfo.InvariantCulture)))} | " +
                                  $"{string.Join(", ", ratios.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)))} | **{ratios.Min():0.00}–{Median(ratios):0.00}–{ratios.Max():0.00}** | " +
                                  $"{Median(g.Runs.Select(r => r.Kernel.CpuMicrosPerCall)):0.0} / {Median(g.Runs.Select(r => r.Fixed.CpuMicrosPerCall)):0.0} |");
                }

                sb.AppendLine();
                sb.AppendLine("The fixed-body endpoint is a Kestrel app (h2c, Protocols=Http2) answering every POST with the same gRPC response bytes and `grpc-status: 0` trailers, " +
                              "hosted like the kernel: `WebApplication.CreateBuilder`, Production environment, console logging at Warning (so ASP.NET Core's per-request hosting diagnostics are the same in both), Server GC; " +
                              "it runs inside the harness process, the kernel in its own. Both see the same h2load settings and request bytes. CPU per call = the serving process's CPU time over the h2load run / requests done.");
                sb.AppendLine();
            }

            sb.AppendLine("## Log");
            sb.AppendLine();
            sb.AppendLine("```");
            sb.Append(_log);
            sb.AppendLine("```");
            return sb.ToString();
        }

        private static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }

        private void Say(string line)
        {
            Console.WriteLine(line);
            lock (_log) _log.AppendLine(line);
        }

        private Task<string> Psql(string database, string sql) =>
            Exec(Path.Combine(o.PgBin, "psql"), ["-h", o.PgHost, "-p", o.PgPort.ToString(), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-Atc", sql]);

        private static async Task<string> Exec(string file, IEnumerable<string> arguments)
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in arguments) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0)
                throw new InvalidOperationException($"{file} {string.Join(' ', psi.ArgumentList)} exited {p.ExitCode}: {await stderr}{await stdout}");
            return await stdout;
        }
    }

    /// <summary>One load run: sends Updates to the webhook, records ack latency per request and end-to-end latency per reply.</summary>
    internal sealed class LoadRun
    {
        private static readonly double TickMs = 1000.0 / Stopwatch.Frequency;
        private readonly HttpClient _http;
        private readonly Uri _webhook;
        private readonly long _base;
        private readonly int _max;
        private readonly double[] _ack;
        private readonly double[] _e2e;
        private readonly Dictionary<string, int> _failures = [];
        private int _sent, _acked, _failed, _replies;
        private long _lastReply;
        private readonly int _chats;

        public LoadRun(HttpClient http, Uri webhook, FakeBotApi fake, long updateIdBase, int max, int chats = 20_000)
        {
            _chats = chats;
            _http = http;
            _webhook = webhook;
            _base = updateIdBase;
            _max = max;
            _ack = new double[max];
            _e2e = new double[max];
            fake.OnReply = OnReply;
        }

        public int Sent => Volatile.Read(ref _sent);
        public int Acked => Volatile.Read(ref _acked);
        public int Failed => Volatile.Read(ref _failed);
        public int Replies => Volatile.Read(ref _replies);
        public long LastReplyTicks => Interlocked.Read(ref _lastReply);
        public string FailureSummary { get { lock (_failures) return string.Join(", ", _failures.Select(kv => $"{kv.Key}×{kv.Value}")); } }

        private void OnReply(long seq, long sentTicks, long now)
        {
            var i = seq - _base;
            if (i < 0 || i >= _max) return; // a straggler of an earlier run
            _e2e[i] = (now - sentTicks) * TickMs;
            Interlocked.Increment(ref _replies);
            long last;
            do last = Interlocked.Read(ref _lastReply); while (now > last && Interlocked.CompareExchange(ref _lastReply, now, last) != last);
        }

        private async Task SendAsync(int i, long scheduled)
        {
            var seq = _base + i;
            var chat = 100_000_000 + (i % _chats);
            var body = $"{{\"update_id\":{seq},\"message\":{{\"message_id\":{seq},\"from\":{{\"id\":{chat},\"is_bot\":false,\"first_name\":\"Load\",\"last_name\":\"Test\",\"username\":\"u{chat}\",\"language_code\":\"en\"}},\"chat\":{{\"id\":{chat},\"first_name\":\"Load\",\"last_name\":\"Test\",\"username\":\"u{chat}\",\"type\":\"private\"}},\"date\":1735732800,\"text\":\"b{seq}:{scheduled}\"}}}}";
            using var request = new HttpRequestMessage(HttpMethod.Post, _webhook) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "bench_secret-0123456789abcdef");
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                _ack[i] = (Stopwatch.GetTimestamp() - scheduled) * TickMs;
                if (response.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref _acked);
                else Fail(((int)response.StatusCode).ToString());
            }
            catch (Exception ex)
            {
                _ack[i] = double.NaN;
                Fail(ex.GetType().Name);
            }
        }

        private void Fail(string what)
        {
            Interlocked.Increment(ref _failed);
            lock (_failures) _failures[what] = _failures.GetValueOrDefault(what) + 1;
        }

        /// <summary>Open loop: message i is due at start + i/rate, whatever happened to the earlier ones.</summary>
        public async Task OpenLoopAsync(int rate, int count)
        {
            var start = Stopwatch.GetTimestamp();
            var inflight = new List<Task>(count);
            var next = 0;
            while (next < count)
            {
                var now = Stopwatch.GetTimestamp();
                var due = (int)Math.Min(count, (now - start) * (double)rate / Stopwatch.Frequency + 1);
                for (; next < due; next++)
                {
                    var scheduled = start + (long)(next * (double)Stopwatch.Frequency / rate);
                    _sent++;
                    inflight.Add(SendAsync(next, scheduled));
                }

                await Task.Delay(1);
            }

            await Task.WhenAll(inflight);
        }

        /// <summary>Closed loop: <paramref name="clients"/> senders, each posting the next update as soon as the previous one is acknowledged.</summary>
        public async Task ClosedLoopAsync(int clients, TimeSpan duration)
        {
            var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var counter = -1;
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
            {
                while (Stopwatch.GetTimestamp() < end)
                {
                    var i = Interlocked.Increment(ref counter);
                    if (i >= _max) break;
                    Interlocked.Increment(ref _sent);
                    await SendAsync(i, Stopwatch.GetTimestamp());
                }
            }));
        }

        /// <summary>Waits until every acknowledged update has its reply, or no reply came for 10 s, or the bound passed.</summary>
        public async Task DrainAsync(TimeSpan bound)
        {
            var deadline = DateTime.UtcNow + bound;
            var lastCount = -1;
            var lastProgress = DateTime.UtcNow;
            while (Replies < Acked && DateTime.UtcNow < deadline && DateTime.UtcNow - lastProgress < TimeSpan.FromSeconds(10))
            {
                if (Replies != lastCount) { lastCount = Replies; lastProgress = DateTime.UtcNow; }
                await Task.Delay(50);
            }
        }

        public double AckPercentile(double p) => Percentile(_ack.Take(Sent).Where(x => !double.IsNaN(x)), p);
        public double E2ePercentile(double p) => Percentile(_e2e.Take(Sent).Where(x => x > 0), p);

        private static double Percentile(IEnumerable<double> values, double p)
        {
            var sorted = values.ToArray();
            if (sorted.Length == 0) return double.NaN;
            Array.Sort(sorted);
            var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }

    /// <summary>A minimal Bot API on 127.0.0.1: getMe, setWebhook, deleteWebhook, getWebhookInfo, sendMessage (counted, timed).</summary>
    internal sealed class FakeBotApi : IAsyncDisposable
    {
        private WebApplication _app = null!;
        private long _messageId;

        public string BaseUrl { get; private set; } = "";
        public volatile string? WebhookUrl;
        public Action<long, long, long>? OnReply;
        public long UnparsedSends;

        public static async Task<FakeBotApi> StartAsync()
        {
            var fake = new FakeBotApi();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.Map("/bot{token}/{method}", fake.HandleAsync);
            await app.StartAsync();
            fake._app = app;
            fake.BaseUrl = app.Urls.First().TrimEnd('/');
            return fake;
        }

        private async Task HandleAsync(HttpContext context)
        {
            var method = (string)context.Request.RouteValues["method"]!;
            JsonDocument? doc = null;
            if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                try { doc = await JsonDocument.ParseAsync(context.Request.Body); } catch (JsonException) { }
            }

            using (doc)
            {
                context.Response.ContentType = "application/json";
                switch (method)
                {
                    case "getMe":
                        await context.Response.WriteAsync("{\"ok\":true,\"result\":{\"id\":7000000001,\"is_bot\":true,\"first_name\":\"Bench\",\"username\":\"benchbot\",\"can_join_groups\":true,\"can_read_all_group_messages\":false,\"supports_inline_queries\":false}}");
                        break;
                    case "setWebhook":
                        WebhookUrl = doc?.RootElement.TryGetProperty("url", out var u) == true ? u.GetString() : "?";
                        await context.Response.WriteAsync("{\"ok\":true,\"result\":true,\"description\":\"Webhook was set\"}");
                        break;
                    case "deleteWebhook":
                        await context.Response.WriteAsync("{\"ok\":true,\"result\":true}");
                        break;
                    case "getWebhookInfo":
                        await context.Response.WriteAsync("{\"ok\":true,\"result\":{\"url\":\"\",\"has_custom_certificate\":false,\"pending_update_count\":0}}");
                        break;
                    case "sendMessage":
                        var now = Stopwatch.GetTimestamp();
                        var root = doc!.RootElement;
                        var chat = root.GetProperty("chat_id");
                        var chatId = chat.ValueKind == JsonValueKind.Number ? chat.GetInt64() : long.Parse(chat.GetString()!);
                        var text = root.GetProperty("text").GetString() ?? "";
                        var b = text.IndexOf(" b", StringComparison.Ordinal);
                        var colon = b < 0 ? -1 : text.IndexOf(':', b);
                        if (colon > 0 && long.TryParse(text.AsSpan(b + 2, colon - b - 2), out var seq) && long.TryParse(text.AsSpan(colon + 1), out var sentTicks))
                            OnReply?.Invoke(seq, sentTicks, now);
                        else
                            Interlocked.Increment(ref UnparsedSends);
                        var id = Interlocked.Increment(ref _messageId);
                        await context.Response.WriteAsync($"{{\"ok\":true,\"result\":{{\"message_id\":{id},\"from\":{{\"id\":7000000001,\"is_bot\":true,\"first_name\":\"Bench\",\"username\":\"benchbot\"}},\"chat\":{{\"id\":{chatId},\"type\":\"private\"}},\"date\":1735732801,\"text\":{JsonSerializer.Serialize(text)}}}}}");
                        break;
                    default:
                        context.Response.StatusCode = 404;
                        await context.Response.WriteAsync("{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
                        break;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>A Kestrel h2c app answering fixed bytes per path with grpc-status 0: the HTTP/2 ceiling, hosted like the kernel.</summary>
    internal sealed class FixedBodyServer : IAsyncDisposable
    {
        private WebApplication _app = null!;
        public int Port { get; private set; }

        public static async Task<FixedBodyServer> StartAsync(Dictionary<string, byte[]> bodies)
        {
            // Hosted like the kernel (KernelApp): the full builder, Production, console logging at Warning. With logging
            // cleared, ASP.NET Core skips its per-request Activity and log scope, which the kernel (logging at Warning,
            // as deployed) pays: the comparison would then charge the kernel for its logging configuration.
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", Args = ["--Logging:LogLevel:Default=Warning"] });
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
            var app = builder.Build();
            app.Run(async context =>
            {
                var bytes = bodies[context.Request.Path.Value!];
                // Read (and drop) the request message, as a gRPC server does.
                var buffer = new byte[256];
                while (await context.Request.Body.ReadAsync(buffer) > 0) { }
                context.Response.ContentType = "application/grpc";
                await context.Response.Body.WriteAsync(bytes);
                context.Response.AppendTrailer("grpc-status", "0");
            });
            await app.StartAsync();
            var server = new FixedBodyServer { _app = app, Port = new Uri(app.Urls.First()).Port };
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>The kernel as a child process (Release build), on free ports, with benchmark settings.</summary>
    internal sealed class KernelProcess : IAsyncDisposable
    {
        private Process _process = null!;
        private string _dataDirectory = null!;
        public int HttpPort { get; private set; }
        public int GrpcPort { get; private set; }
        public int Pid => _process.Id;
        public List<string> Errors { get; } = [];

        public static async Task<KernelProcess> StartAsync(string dll, string repo, string? connectionString, string adminKey, Action<string> say, bool pipelineBenchSettings)
        {
            var k = new KernelProcess { HttpPort = FreePort(), GrpcPort = FreePort(), _dataDirectory = Directory.CreateTempSubdirectory("clawscale-bench-").FullName };
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = k._dataDirectory };
            psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
            psi.ArgumentList.Add(dll);
            foreach (var a in new[]
            {
                $"--ClawScale:HttpPort={k.HttpPort}", $"--ClawScale:GrpcPort={k.GrpcPort}", $"--ClawScale:DataDirectory={k._dataDirectory}",
                $"--ClawScale:Bootstrap:AdminApiKey={adminKey}", $"--ClawScale:PluginsManifest={Path.Combine(repo, "plugins.json")}",
                "--ClawScale:WatchPlugins=false", "--ClawScale:PublicBaseUrl=https://bench.example.test",
                "--ClawScale:Security:AllowPrivateNetworkTargets=true", // the fake Bot API is on 127.0.0.1
                "--Logging:LogLevel:Default=Warning",
            }) psi.ArgumentList.Add(a);
            if (pipelineBenchSettings)
            {
                foreach (var a in new[]
                {
                    "--ClawScale:Pipeline:SenderMessagesPerMinute=1000000", "--ClawScale:Pipeline:SendRatePerChannel=100000",
                    "--ClawScale:Pipeline:SendConcurrencyPerChannel=64", "--ClawScale:Pipeline:PollInterval=00:00:00.100",
                }) psi.ArgumentList.Add(a);
            }

            if (connectionString is not null) psi.ArgumentList.Add($"--ClawScale:Database:ConnectionString={connectionString}");
            k._process = Process.Start(psi)!;
            k._process.OutputDataReceived += (_, e) => k.Line(e.Data);
            k._process.ErrorDataReceived += (_, e) => k.Line(e.Data);
            k._process.BeginOutputReadLine();
            k._process.BeginErrorReadLine();

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                if (k._process.HasExited) throw new InvalidOperationException("The kernel exited: " + string.Join("\n", k.Errors.TakeLast(30)));
                try
                {
                    using var r = await http.GetAsync($"http://127.0.0.1:{k.HttpPort}/healthz");
                    if (r.IsSuccessStatusCode) break;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                if (DateTime.UtcNow > deadline) throw new TimeoutException("The kernel did not become healthy: " + string.Join("\n", k.Errors.TakeLast(30)));
                await Task.Delay(200);
            }

            say($"   kernel pid {k.Pid} up (http {k.HttpPort}, grpc {k.GrpcPort}, {(connectionString is null ? "SQLite" : "PostgreSQL")})");
            return k;
        }

        private void Line(string? line)
        {
            if (string.IsNullOrWhiteSpace(line)) return;
            // Console logger lines: "fail: Category[id]" / "crit: …" start an entry; warnings are not kept (the Data
            // Protection "no XML encryptor" warning is expected in a throwaway data directory).
            var keep = line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal) || line.Contains("Exception", StringComparison.Ordinal);
            if (keep) lock (Errors) if (Errors.Count < 1000) Errors.Add(line.Trim());
        }

        public long PeakRssMb()
        {
            var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        }

        private static int FreePort()
        {
            using var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            return ((IPEndPoint)l.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            catch (InvalidOperationException) { }

            _process.Dispose();
            try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>CPU seconds of the kernel, of PostgreSQL (postmaster and its children) and of this process, and machine-wide jiffies.</summary>
    internal readonly record struct Cpu(double Kernel, double Pg, double Bench, double Wall, long MachineBusy, long MachineTotal)
    {
        private const double Hz = 100; // USER_HZ

        public static Cpu Sample(int kernelPid, int pgPid)
        {
            var pg = 0.0;
            if (pgPid > 0)
            {
                foreach (var dir in Directory.EnumerateDirectories("/proc"))
                {
                    if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                    var s = Stat(pid);
                    if (s is { } v && (pid == pgPid || v.PPid == pgPid)) pg += v.Cpu;
                }
            }

            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            var total = cpu.Take(8).Sum();
            var idle = cpu[3] + cpu[4];
            return new Cpu(Stat(kernelPid)?.Cpu ?? 0, pg, Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
                Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency, total - idle, total);
        }

        /// <summary>User + system CPU seconds of one process so far.</summary>
        public static double ProcessSeconds(int pid) => Stat(pid)?.Cpu ?? double.NaN;

        private static (double Cpu, int PPid)? Stat(int pid)
        {
            try
            {
                var text = File.ReadAllText($"/proc/{pid}/stat");
                var f = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                return ((long.Parse(f[11]) + long.Parse(f[12])) / Hz, int.Parse(f[1]));
            }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
        }
    }
}
