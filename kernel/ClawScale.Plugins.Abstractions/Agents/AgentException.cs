namespace ClawScale.Plugins.Agents;

/// <summary>
/// A provider error an agent backend reports (HTTP 401 from the LLM API, a timeout, a refused request).
/// The kernel sends <see cref="UserMessage"/> to the user and records <see cref="Exception.Message"/> on the failed turn.
/// </summary>
public sealed class AgentException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, for admins (never a secret).</param>
    /// <param name="userMessage">What the user is told; a generic apology by default.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    public AgentException(string message, string? userMessage = null, Exception? innerException = null)
        : base(message, innerException)
    {
        UserMessage = userMessage ?? "Sorry, the assistant could not answer right now. Please try again in a moment.";
    }

    /// <summary>The text sent to the user.</summary>
    public string UserMessage { get; }
}
