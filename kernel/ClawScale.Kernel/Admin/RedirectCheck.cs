namespace ClawScale.Kernel.Admin;

/// <summary>The verdict of <see cref="CredentialRedirectGuard.Check"/>.</summary>
/// <param name="ChangedEndpointKeys">The endpoint config keys the call changes, in ordinal order.</param>
/// <param name="CarriedOverCredentials">The stored credentials the call would keep without giving them (empty when no endpoint changes).</param>
internal sealed record RedirectCheck(IReadOnlyList<string> ChangedEndpointKeys, IReadOnlyList<string> CarriedOverCredentials)
{
    /// <summary>Whether the call must be refused: an endpoint changes and stored credentials would follow it.</summary>
    public bool Refused => ChangedEndpointKeys.Count > 0 && CarriedOverCredentials.Count > 0;
}
