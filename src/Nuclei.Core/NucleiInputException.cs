namespace Nuclei.Core;

/// <summary>
/// A problem with something the user gave us (a file, a CSV line, a setting). The message names the
/// file (or line) and says what is wrong, so the CLI prints it as is, without a stack trace.
/// </summary>
public class NucleiInputException : Exception
{
    /// <summary>The file (or "file:line") the problem is in, when there is one.</summary>
    public string? InputPath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }

    public NucleiInputException(string? source, string problem, Exception? inner = null)
        : base(source is null ? problem : $"{source}: {problem}", inner)
    {
        InputPath = source;
        Problem = problem;
    }
}
