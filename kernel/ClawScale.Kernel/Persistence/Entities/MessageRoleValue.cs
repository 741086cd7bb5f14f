namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Stored message role (values match <c>clawscale.v1.MessageRole</c>).</summary>
internal enum MessageRoleValue
{
    User = 1,
    Agent = 2,
    System = 3,
}
