using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ClawScale.Kernel.Tests.Faults;

/// <summary>
/// Telegram's side of a webhook under load: POSTs planned updates with the secret-token header, one at a time per chat
/// (the next update of a chat only after the previous one was acknowledged, so a chat's order is defined) and chats in
/// parallel, at most <c>maxInFlight</c> requests at once, paced at <c>rate</c> updates/s overall. An update not answered
/// 2xx is sent again, as Telegram does: after the Retry-After seconds when the answer has one, else after 200 ms. Every
/// attempt is recorded (<see cref="Attempts"/>).
/// </summary>
internal sealed class TelegramUpdateSender(IReadOnlyList<PlannedUpdate> plan, Func<PlannedUpdate, Uri> target, string secret, int maxInFlight, double rate)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentQueue<WebhookAttempt> _attempts = new();
    private readonly ConcurrentDictionary<int, DateTimeOffset> _acknowledged = new();
    private readonly SemaphoreSlim _slots = new(maxInFlight);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        MaxConnectionsPerServer = maxInFlight,
        UseProxy = false,
    })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    public IReadOnlyList<PlannedUpdate> Plan => plan;

    /// <summary>Every POST so far.</summary>
    public IReadOnlyList<WebhookAttempt> Attempts => _attempts.ToArray();

    /// <summary>Updates answered 2xx at least once.</summary>
    public int AcknowledgedCount => _acknowledged.Count;

    /// <summary>When the 2xx answer to <paramref name="update"/> arrived, or null.</summary>
    public DateTimeOffset? AcknowledgedAt(PlannedUpdate update) => _acknowledged.TryGetValue(update.Sequence, out var at) ? at : null;

    /// <summary>Sends the whole plan; completes when every update was acknowledged, or throws after <paramref name="bound"/>.</summary>
    public async Task RunAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        var start = Stopwatch.GetTimestamp();
        try
        {
            await Task.WhenAll(plan.GroupBy(u => u.ChatId).Select(chat => SendChatAsync(chat.OrderBy(u => u.Sequence).ToList(), start, timeout.Token)));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"Only {AcknowledgedCount} of {plan.Count} updates were acknowledged within {bound.TotalSeconds} s. Answers: {Summary()}");
        }
        finally
        {
            _http.Dispose();
        }
    }

    /// <summary>Counts of answers by status ("503", "200", "connection failed").</summary>
    public string Summary() =>
        string.Join(", ", Attempts.GroupBy(a => a.Status?.ToString(CultureInfo.InvariantCulture) ?? "connection failed").OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));

    private async Task SendChatAsync(List<PlannedUpdate> updates, long start, CancellationToken ct)
    {
        foreach (var update in updates)
        {
            if (rate > 0)
            {
                var due = TimeSpan.FromSeconds(update.Sequence / rate) - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.Zero) await Task.Delay(due, ct);
            }

            while (true)
            {
                var attempt = await PostAsync(update, ct);
                _attempts.Enqueue(attempt);
                if (attempt.Acknowledged)
                {
                    _acknowledged.TryAdd(update.Sequence, attempt.AnsweredAt);
                    break;
                }

                var wait = int.TryParse(attempt.RetryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : RetryDelay;
                await Task.Delay(wait, ct);
            }
        }
    }

    private async Task<WebhookAttempt> PostAsync(PlannedUpdate update, CancellationToken ct)
    {
        var uri = target(update);
        await _slots.WaitAsync(ct);
        var at = DateTimeOffset.UtcNow;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(update.Json(), Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
            using var response = await _http.SendAsync(request, ct);
            return new WebhookAttempt(update, uri, at, DateTimeOffset.UtcNow, (int)response.StatusCode, response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null, null);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return new WebhookAttempt(update, uri, at, DateTimeOffset.UtcNow, null, null, ex.GetType().Name + ": " + ex.Message);
        }
        finally
        {
            _slots.Release();
        }
    }
}
