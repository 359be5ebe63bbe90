using Nuclei.Core.Settings;

namespace Nuclei.Core;

/// <summary>
/// A problem with something the user gave us (a file, a CSV line, a setting). The message names the
/// file (or line) and says what is wrong, so the CLI prints it as is, without a stack trace. The settings it names
/// stay <see cref="Setting"/>s (<see cref="ProblemMessage"/>): <see cref="Exception.Message"/> names them as the library
/// does, and a front end renders its own names with <see cref="MessageFor"/>.
/// </summary>
public class NucleiInputException : Exception
{
    /// <summary>The file (or "file:line") the problem is in, when there is one.</summary>
    public string? InputPath { get; }

    /// <summary>What is wrong, without the path, the settings kept apart.</summary>
    public SettingMessage ProblemMessage { get; }

    /// <summary>What is wrong, without the path, with the library's names for the settings.</summary>
    public string Problem => ProblemMessage.ToString();

    /// <summary>The settings the problem names (none for a problem with a file's content alone).</summary>
    public IReadOnlyList<Setting> Settings => ProblemMessage.Settings;

    internal NucleiInputException(string? source, string problem, Exception? inner = null)
        : this(source, SettingMessage.Plain(problem), inner) { }

    /// <summary>A problem written as an interpolated string, whose <see cref="Setting"/> holes stay settings.</summary>
    internal NucleiInputException(string? source, ref SettingMessageHandler problem, Exception? inner = null)
        : this(source, problem.ToMessage(), inner) { }

    internal NucleiInputException(string? source, SettingMessage problem, Exception? inner = null)
        : base(Compose(source, problem.ToString()), inner)
    {
        InputPath = source;
        ProblemMessage = problem;
    }

    /// <summary>The message with the settings named by <paramref name="names"/> (a flag, a form field).</summary>
    public string MessageFor(SettingNames names) => Compose(InputPath, ProblemMessage.Render(names));

    static string Compose(string? source, string problem) => source is null ? problem : $"{source}: {problem}";
}
