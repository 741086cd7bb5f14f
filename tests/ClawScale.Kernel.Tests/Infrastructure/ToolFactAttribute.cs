namespace ClawScale.Kernel.Tests.Infrastructure;

/// <summary>
/// A fact that needs an external tool (python3 with grpcio, buf). Skipped when the tool is missing, unless
/// CLAWSCALE_REQUIRE_{Requirement}=1 (CI), where the test runs and fails for the missing tool.
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string requirement, string executable)
    {
        if (TestEnvironment.Which(executable) is null && !TestEnvironment.Require(requirement))
            Skip = $"{executable} not found: install it (bash .ci/run does) or set CLAWSCALE_REQUIRE_{requirement}=1 to make this a failure.";
    }
}
