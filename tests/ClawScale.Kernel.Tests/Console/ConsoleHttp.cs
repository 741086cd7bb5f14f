using System.Net;
using System.Text.RegularExpressions;

namespace ClawScale.Kernel.Tests.Console;

/// <summary>
/// A plain HTTP client of the console (cookies kept, redirects not followed), for what a browser hides: status codes,
/// Set-Cookie attributes, forged POSTs.
/// </summary>
public sealed partial class ConsoleHttp : IDisposable
{
    private readonly HttpClient _client;

    public ConsoleHttp(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    /// <summary>The Set-Cookie headers of the last sign-in answer.</summary>
    public IReadOnlyList<string> SignInCookies { get; private set; } = [];

    public async Task<HttpResponseMessage> GetAsync(string path) => await _client.GetAsync(new Uri(path, UriKind.Relative));

    public async Task<(HttpStatusCode Status, string Body)> GetPageAsync(string path)
    {
        using var response = await GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The anti-forgery token of the page at <paramref name="path"/>.</summary>
    public async Task<string> TokenAsync(string path)
    {
        var (_, body) = await GetPageAsync(path);
        return TokenPattern().Match(body) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No anti-forgery field on " + path);
    }

    public async Task<HttpResponseMessage> PostAsync(string path, IDictionary<string, string> fields) =>
        await _client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(fields));

    public async Task<HttpStatusCode> SignInAsync(string key)
    {
        var token = await TokenAsync("/console/signin");
        using var response = await PostAsync("/console/signin", new Dictionary<string, string> { ["__csrf"] = token, ["api_key"] = key });
        SignInCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        return response.StatusCode;
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
