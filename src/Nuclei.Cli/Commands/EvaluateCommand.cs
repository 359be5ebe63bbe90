using System.CommandLine;

namespace Nuclei.Cli.Commands;

/// <summary>`nuclei evaluate` (not implemented yet).</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var command = new Command("evaluate", "(not implemented yet)");
        command.SetAction(_ => { Console.Error.WriteLine("nuclei evaluate: not implemented yet"); return 2; });
        return command;
    }
}
