using System.CommandLine;

namespace Nuclei.Cli.Commands;

/// <summary>`nuclei segment` (not implemented yet).</summary>
public static class SegmentCommand
{
    public static Command Create()
    {
        var command = new Command("segment", "(not implemented yet)");
        command.SetAction(_ => { Console.Error.WriteLine("nuclei segment: not implemented yet"); return 2; });
        return command;
    }
}
