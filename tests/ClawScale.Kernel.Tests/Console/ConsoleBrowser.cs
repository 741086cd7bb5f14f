using ClawScale.Kernel.Tests.Infrastructure;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace ClawScale.Kernel.Tests.Console;

/// <summary>
/// Drives the admin console (<c>/console</c>) in Debian's headless Chromium through chromedriver, with a fresh profile
/// (no cookies). Use with <c>[ToolFact("CHROMIUM", "chromedriver")]</c>.
/// </summary>
public sealed class ConsoleBrowser : IDisposable
{
    private readonly string _profile;
    private readonly Uri _base;

    private ConsoleBrowser(ChromeDriver driver, string profile, Uri baseAddress)
    {
        Driver = driver;
        _profile = profile;
        _base = baseAddress;
    }

    public ChromeDriver Driver { get; }

    /// <summary>The current page's HTML.</summary>
    public string Source => Driver.PageSource;

    /// <summary>The current page's h1.</summary>
    public string Heading => Driver.FindElement(By.TagName("h1")).Text;

    public static ConsoleBrowser Start(Uri httpAddress, int width = 1280, int height = 800)
    {
        var profile = Directory.CreateTempSubdirectory("clawscale-console-").FullName;
        var options = new ChromeOptions { BinaryLocation = File.Exists(ChatPage.ChromiumPath) ? ChatPage.ChromiumPath : TestEnvironment.Which("chromium") };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", $"--window-size={width},{height}", "--user-data-dir=" + profile);
        var driverPath = File.Exists(ChatPage.ChromeDriverPath) ? ChatPage.ChromeDriverPath : TestEnvironment.Which("chromedriver")
            ?? throw new InvalidOperationException("chromedriver not found: apt-get install chromium chromium-driver (bash .ci/run does).");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ConsoleBrowser(new ChromeDriver(service, options, TimeSpan.FromSeconds(60)), profile, httpAddress);
    }

    public void Open(string path) => Driver.Navigate().GoToUrl(new Uri(_base, path));

    /// <summary>Signs in by clicking and typing (see the keyboard test for keyboard only).</summary>
    public void SignIn(string key)
    {
        Open("/console/signin");
        Driver.FindElement(By.Id("f-api_key")).SendKeys(key);
        Driver.FindElement(By.CssSelector("form[action='/console/signin'] button")).Click();
    }

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public void Fill(string id, string value)
    {
        var input = Driver.FindElement(By.Id(id));
        input.Clear();
        input.SendKeys(value);
    }

    public void Choose(string id, string value) => Driver.FindElement(By.CssSelector($"#{id} option[value='{value}']")).Click();

    /// <summary>Clicks the submit button of the form posting to <paramref name="action"/>.</summary>
    public void Submit(string action) => Find($"form[action='{action}'] button[type=submit]").Click();

    public void Screenshot(string path)
    {
        // The page's full height, so the whole page is in the picture.
        var height = Convert.ToInt32(((IJavaScriptExecutor)Driver).ExecuteScript("return document.documentElement.scrollHeight;"), System.Globalization.CultureInfo.InvariantCulture);
        var size = Driver.Manage().Window.Size;
        Driver.Manage().Window.Size = new System.Drawing.Size(size.Width, Math.Min(Math.Max(height, size.Height), 3000));
        ((ITakesScreenshot)Driver).GetScreenshot().SaveAsFile(path);
        Driver.Manage().Window.Size = size;
    }

    public void WaitUntil(Func<IWebDriver, bool> condition, string what) =>
        new WebDriverWait(Driver, TimeSpan.FromSeconds(20)) { Message = "Timed out waiting for " + what }.Until(condition);

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file; the temp folder is cleaned up later.
        }
    }
}
