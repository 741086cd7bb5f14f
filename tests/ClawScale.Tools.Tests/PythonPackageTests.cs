using ClawScale.Tools.Tests.Infrastructure;

namespace ClawScale.Tools.Tests;

/// <summary>
/// <c>pip install</c> of clients/python into a fresh venv that sees Debian's grpcio and protobuf
/// (<c>python3 -m venv --system-site-packages</c>), offline (<c>--no-index --no-build-isolation</c>: setuptools from the
/// system), then the package and its committed gRPC stubs import from the venv.
/// </summary>
public sealed class PythonPackageTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    [SkippableFact]
    public async Task Pip_installs_the_python_package_offline_and_it_imports()
    {
        const string python = "/usr/bin/python3";
        var usable = File.Exists(python)
            && (await ProcessRunner.RunAsync(python, ["-c", "import grpc, google.protobuf, setuptools, venv"], Repo.Root, Bound)).ExitCode == 0;
        if (!usable && Repo.Require("PYTHON")) Assert.Fail("/usr/bin/python3 with python3-grpcio, python3-protobuf, python3-setuptools and python3-venv is required.");
        Skip.IfNot(usable, "Debian's python3 with grpcio, protobuf, setuptools and venv is not installed.");

        var root = Directory.CreateTempSubdirectory("clawscale-pip-").FullName;
        try
        {
            // A copy of the package, so that the build's leftovers (build/, *.egg-info) stay out of the repository.
            var source = Path.Combine(root, "python");
            var package = Path.Combine(Repo.Root, "clients", "python");
            foreach (var file in Directory.GetFiles(package, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(package, file);
                if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "__pycache__" or "build" or ".pytest_cache" || p.EndsWith(".egg-info", StringComparison.Ordinal))) continue;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(source, relative))!);
                File.Copy(file, Path.Combine(source, relative));
            }

            var venv = Path.Combine(root, "venv");
            var created = await ProcessRunner.RunAsync(python, ["-m", "venv", "--system-site-packages", venv], root, Bound);
            Assert.True(created.ExitCode == 0, created.Both);
            var venvPython = Path.Combine(venv, "bin", "python");
            var pipEnv = new Dictionary<string, string?> { ["PIP_DISABLE_PIP_VERSION_CHECK"] = "1", ["PYTHONPATH"] = null, ["PIP_NO_INPUT"] = "1" };

            var install = await ProcessRunner.RunAsync(venvPython, ["-m", "pip", "install", "--no-index", "--no-build-isolation", source], root, Bound, pipEnv);
            Assert.True(install.ExitCode == 0, install.Both);

            var import = await ProcessRunner.RunAsync(venvPython,
                ["-c", "import clawscale, clawscale.v1.admin_pb2_grpc as a, clawscale.v1.runtime_pb2 as r; from clawscale import Client, AsyncClient, Runtime; "
                    + "print(clawscale.__version__); print(clawscale.__file__); print(a.AdminServiceStub.__name__)"],
                root, Bound, new Dictionary<string, string?> { ["PYTHONPATH"] = null });
            Assert.True(import.ExitCode == 0, import.Both);
            var lines = import.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("AdminServiceStub", lines[2].Trim());
            Assert.StartsWith(venv, lines[1].Trim());
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
