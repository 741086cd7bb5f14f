using ClawScale.Kernel.Hosting;

// The ClawScale kernel: `dotnet run --project kernel/ClawScale.Kernel` starts it with zero configuration
// (SQLite in ./data, HTTP/1.1 on 4040, h2c gRPC on 4041); `--help` lists the settings. Wiring lives in
// Hosting/KernelHostingExtensions.cs; start-up errors and exit codes in Hosting/KernelApp.cs.
return await KernelApp.RunAsync(args);
