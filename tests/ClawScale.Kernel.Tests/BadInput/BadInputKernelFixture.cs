using System.Globalization;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Kernel.Tests.Pipeline;
using Microsoft.Data.Sqlite;

namespace ClawScale.Kernel.Tests.BadInput;

/// <summary>
/// One kernel on SQLite for the bad-input tests: the Telegram pipeline settings (fast polling, public base URL for
/// webhook mode), a per-sender limit of <see cref="SenderMessagesPerMinute"/> and webhook bodies limited to
/// <see cref="MaxWebhookBodyBytes"/>, both set through configuration as an operator would.
/// </summary>
public sealed class BadInputKernelFixture : IAsyncLifetime
{
    /// <summary>ClawScale:Pipeline:SenderMessagesPerMinute: a burst of 2, then one message every 30 s.</summary>
    public const int SenderMessagesPerMinute = 2;

    /// <summary>ClawScale:Pipeline:MaxWebhookBodyBytes.</summary>
    public const int MaxWebhookBodyBytes = 64 * 1024;

    private KernelHost? _host;

    public KernelHost Host => _host ?? throw new InvalidOperationException("The kernel is not started.");

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>(TelegramKernelFixture.Settings)
        {
            ["ClawScale:Pipeline:SenderMessagesPerMinute"] = SenderMessagesPerMinute.ToString(CultureInfo.InvariantCulture),
            ["ClawScale:Pipeline:MaxWebhookBodyBytes"] = MaxWebhookBodyBytes.ToString(CultureInfo.InvariantCulture),
        };
        _host = await KernelHost.StartAsync(TestDatabase.Sqlite(), settings);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
