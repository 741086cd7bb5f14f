using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace ClawScale.Kernel.Tests.Infrastructure;

/// <summary>
/// Drives a kernel's web chat page (<c>GET /chat/{channelId}</c>) in Debian's headless Chromium through
/// chromedriver (Selenium). Each instance has its own browser and a fresh, empty profile (so a fresh visitor id);
/// use <see cref="TestEnvironment"/>'s <c>ToolFact("CHROMIUM", "chromedriver")</c> on tests that use it.
/// </summary>
public sealed class ChatPage : IDisposable
{
    /// <summary>Debian's Chromium.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Debian's chromedriver.</summary>
    public const string ChromeDriverPath = "/usr/bin/chromedriver";

    private readonly string _profile;

    private ChatPage(ChromeDriver driver, string profile)
    {
        Driver = driver;
        _profile = profile;
    }

    /// <summary>The browser.</summary>
    public ChromeDriver Driver { get; }

    /// <summary>Starts a browser and opens the chat page of <paramref name="channelId"/> on the kernel's HTTP address.</summary>
    /// <param name="httpAddress">The kernel's HTTP base address.</param>
    /// <param name="channelId">The web chat channel.</param>
    /// <param name="waitForOnline">Waits (bounded) until the page's event stream is open, so replies reach it.</param>
    public static ChatPage Open(Uri httpAddress, string channelId, bool waitForOnline = true)
    {
        var profile = Directory.CreateTempSubdirectory("clawscale-chromium-").FullName;
        var options = new ChromeOptions { BinaryLocation = File.Exists(ChromiumPath) ? ChromiumPath : TestEnvironment.Which("chromium") };
        // Flags from the machine notes: without the background-networking ones Chromium hammers the closed network.
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=900,700", "--user-data-dir=" + profile);
        var driverPath = File.Exists(ChromeDriverPath) ? ChromeDriverPath : TestEnvironment.Which("chromedriver")
            ?? throw new InvalidOperationException("chromedriver not found: apt-get install chromium chromium-driver (bash .ci/run does).");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        var page = new ChatPage(driver, profile);
        try
        {
            driver.Navigate().GoToUrl(new Uri(httpAddress, "/chat/" + Uri.EscapeDataString(channelId)));
            if (waitForOnline) page.WaitUntil(d => d.FindElement(By.Id("status")).GetAttribute("class") == "online", TimeSpan.FromSeconds(20), "the page's event stream to open");
            return page;
        }
        catch
        {
            page.Dispose();
            throw;
        }
    }

    /// <summary>The page title (the channel's <c>title</c>).</summary>
    public string Title => Driver.Title;

    /// <summary>Types <paramref name="text"/> in the message box and clicks Send.</summary>
    public void Send(string text)
    {
        var input = Driver.FindElement(By.Id("input"));
        input.Clear();
        input.SendKeys(text);
        Driver.FindElement(By.Id("send")).Click();
    }

    /// <summary>The texts of the bubbles of <paramref name="role"/> (<c>user</c>, <c>agent</c>, <c>system</c>), in page order.</summary>
    /// <remarks>Read in one script call: the page re-renders bubbles when it reloads history, so element handles go stale.</remarks>
    public IReadOnlyList<string> Messages(string role)
    {
        var texts = (IReadOnlyCollection<object>)((IJavaScriptExecutor)Driver).ExecuteScript(
            "return Array.from(document.querySelectorAll('#messages .msg.' + arguments[0])).map(e => e.textContent || '');", role)!;
        return texts.Select(t => StripLabel(t as string ?? string.Empty)).ToList();
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) until an agent bubble reads exactly <paramref name="text"/>.</summary>
    /// <exception cref="WebDriverTimeoutException">No such bubble in time; the message lists the bubbles seen.</exception>
    public void WaitForAgentMessage(string text, TimeSpan timeout) =>
        WaitUntil(_ => Messages("agent").Contains(text), timeout, $"an agent bubble \"{text}\"");

    /// <summary>Saves a PNG screenshot of the page.</summary>
    public void SaveScreenshot(string path) => Driver.GetScreenshot().SaveAsFile(path);

    /// <summary>Waits for <paramref name="condition"/> with a bound, reporting the page's bubbles on timeout.</summary>
    public void WaitUntil(Func<IWebDriver, bool> condition, TimeSpan timeout, string what)
    {
        var wait = new WebDriverWait(Driver, timeout) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            wait.Until(condition);
        }
        catch (WebDriverTimeoutException e)
        {
            var bubbles = Driver.FindElements(By.CssSelector("#messages li")).Select(b => b.GetAttribute("class") + ": " + b.GetDomProperty("textContent"));
            var error = Driver.FindElements(By.Id("error")).FirstOrDefault()?.Text;
            throw new WebDriverTimeoutException($"Timed out after {timeout} waiting for {what}. Bubbles: [{string.Join(" | ", bubbles)}]; error: {error}", e);
        }
    }

    private static readonly string[] Labels = ["You: ", "Agent: ", "Notice: "];

    private static string StripLabel(string text)
    {
        foreach (var label in Labels)
            if (text.StartsWith(label, StringComparison.Ordinal)) return text[label.Length..];
        return text;
    }

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be writing its profile; the temp folder is cleaned up later.
            }
        }
    }
}
