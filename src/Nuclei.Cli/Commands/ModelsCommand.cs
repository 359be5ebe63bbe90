using System.CommandLine;

namespace Nuclei.Cli.Commands;

/// <summary>`nuclei models` (not implemented yet).</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "(not implemented yet)");
        command.SetAction(_ => { Console.Error.WriteLine("nuclei models: not implemented yet"); return 2; });
        return command;
    }
}
