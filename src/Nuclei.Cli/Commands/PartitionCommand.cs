using System.CommandLine;

namespace Nuclei.Cli.Commands;

/// <summary>`nuclei partition` (not implemented yet).</summary>
public static class PartitionCommand
{
    public static Command Create()
    {
        var command = new Command("partition", "(not implemented yet)");
        command.SetAction(_ => { Console.Error.WriteLine("nuclei partition: not implemented yet"); return 2; });
        return command;
    }
}
