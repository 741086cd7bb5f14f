using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Hosting;

/// <summary>Validates <see cref="ClawScaleOptions"/> at start and reports every error at once, each naming its key.</summary>
internal sealed class ClawScaleOptionsValidator : IValidateOptions<ClawScaleOptions>
{
    public ValidateOptionsResult Validate(string? name, ClawScaleOptions options)
    {
        var errors = new List<string>();
        const string s = ClawScaleOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            errors.Add($"{s}:DataDirectory must be a folder path.");
        if (!System.Net.IPAddress.TryParse(options.ListenAddress, out _) && options.ListenAddress != "localhost")
            errors.Add($"{s}:ListenAddress '{options.ListenAddress}' must be an IP address (for example 127.0.0.1 or 0.0.0.0) or 'localhost'.");
        if (options.HttpPort is < 0 or > 65535)
            errors.Add($"{s}:HttpPort {options.HttpPort} must be between 0 and 65535.");
        if (options.GrpcPort is < 0 or > 65535)
            errors.Add($"{s}:GrpcPort {options.GrpcPort} must be between 0 and 65535.");
        if (options.HttpPort != 0 && options.HttpPort == options.GrpcPort)
            errors.Add($"{s}:HttpPort and {s}:GrpcPort must differ: plaintext HTTP/1.1 and h2c need a port each.");
        if (options.PublicBaseUrl is { Length: > 0 } url &&
            (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
            errors.Add($"{s}:PublicBaseUrl '{url}' must be an absolute http(s) URL such as https://gateway.example.com.");
        if (options.Tls is { } tls)
        {
            if (string.IsNullOrWhiteSpace(tls.CertificatePath))
                errors.Add($"{s}:Tls:CertificatePath is required when {s}:Tls is set.");
            else if (!File.Exists(tls.CertificatePath))
                errors.Add($"{s}:Tls:CertificatePath '{tls.CertificatePath}' does not exist.");
        }

        if (string.IsNullOrWhiteSpace(options.Database.ConnectionString) && string.IsNullOrWhiteSpace(options.Database.SqliteFileName))
            errors.Add($"{s}:Database:SqliteFileName must be a file name when no {s}:Database:ConnectionString is set.");
        if (options.Database.ConnectionString is { Length: > 0 } cs)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(cs);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{s}:Database:ConnectionString is not a valid PostgreSQL connection string: {ex.Message}");
            }
        }

        if (options.Grpc.MaxReceiveMessageSize is < 1024 or > 64 * 1024 * 1024)
            errors.Add($"{s}:Grpc:MaxReceiveMessageSize {options.Grpc.MaxReceiveMessageSize} must be between 1024 and 67108864 bytes.");
        if (options.Grpc.MaxSendMessageSize is < GrpcLimitsOptions.MinSendMessageSize or > 64 * 1024 * 1024)
            errors.Add($"{s}:Grpc:MaxSendMessageSize {options.Grpc.MaxSendMessageSize} must be between {GrpcLimitsOptions.MinSendMessageSize} and 67108864 bytes.");
        if (options.Bootstrap.AdminApiKey is { } key && (!key.StartsWith("csk_", StringComparison.Ordinal) || key.Length < 36))
            errors.Add($"{s}:Bootstrap:AdminApiKey must start with 'csk_' and be at least 36 characters long.");
        if (options.Security.ApiKeyCacheTtl < TimeSpan.Zero || options.Security.ApiKeyCacheTtl > TimeSpan.FromMinutes(10))
            errors.Add($"{s}:Security:ApiKeyCacheTtl {options.Security.ApiKeyCacheTtl} must be between 00:00:00 (no cache) and 00:10:00: it bounds how long a key revoked on another instance keeps working.");
        if (options.Security.ApiKeyCacheSize is < 1 or > 1_000_000)
            errors.Add($"{s}:Security:ApiKeyCacheSize {options.Security.ApiKeyCacheSize} must be between 1 and 1000000 keys.");
        if (options.Security.AuthFailureLimit is < 0 or > 1_000_000)
            errors.Add($"{s}:Security:AuthFailureLimit {options.Security.AuthFailureLimit} must be between 0 (no limit) and 1000000 failed API-key checks per address.");
        if (options.Security.AuthFailureWindow < TimeSpan.FromSeconds(1) || options.Security.AuthFailureWindow > TimeSpan.FromDays(1))
            errors.Add($"{s}:Security:AuthFailureWindow {options.Security.AuthFailureWindow} must be between 00:00:01 and 1.00:00:00.");
        if (string.IsNullOrWhiteSpace(options.Bootstrap.AdminKeyFile))
            errors.Add($"{s}:Bootstrap:AdminKeyFile must be a file name.");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
