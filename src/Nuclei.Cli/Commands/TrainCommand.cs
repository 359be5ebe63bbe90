using System.CommandLine;

namespace Nuclei.Cli.Commands;

/// <summary>`nuclei train` (not implemented yet).</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "(not implemented yet)");
        command.SetAction(_ => { Console.Error.WriteLine("nuclei train: not implemented yet"); return 2; });
        return command;
    }
}
