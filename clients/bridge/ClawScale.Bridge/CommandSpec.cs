namespace ClawScale.Bridge;

/// <summary>A program and its arguments, run without a shell (ProcessStartInfo.ArgumentList) unless built by <see cref="Shell"/>.</summary>
/// <param name="FileName">The program, looked up on PATH when it has no directory.</param>
/// <param name="Arguments">Its arguments, passed as given (no quoting or globbing).</param>
public sealed record CommandSpec(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>
    /// Splits <paramref name="commandLine"/> into a program and arguments: whitespace separates, single and double
    /// quotes group, a backslash escapes the next character outside single quotes. No variables, globs or pipes.
    /// </summary>
    /// <exception cref="ArgumentException">Empty command line or an unterminated quote.</exception>
    public static CommandSpec Parse(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < commandLine.Length; i++)
        {
            var c = commandLine[i];
            if (quote is not null)
            {
                if (c == quote) quote = null;
                else if (c == '\\' && quote == '"' && i + 1 < commandLine.Length) current.Append(commandLine[++i]);
                else current.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < commandLine.Length)
            {
                current.Append(commandLine[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (quote is not null) throw new ArgumentException($"--command: unterminated {quote} quote in '{commandLine}'.", nameof(commandLine));
        if (inWord) words.Add(current.ToString());
        if (words.Count == 0) throw new ArgumentException("--command: empty; give a program, for example \"claude -p\".", nameof(commandLine));
        return new CommandSpec(words[0], words.Skip(1).ToArray());
    }

    /// <summary>Runs <paramref name="commandLine"/> through <c>/bin/sh -c</c> (pipes, variables and globs work).</summary>
    public static CommandSpec Shell(string commandLine) => new("/bin/sh", ["-c", commandLine]);
}
