using System.CommandLine;

namespace Nuclei.Cli.Commands.Data;

/// <summary>`nuclei data`: the dataset tools, one verb per file in this folder.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Dataset tools: check annotations, describe what a set holds, split it for training, cut it into tiles, convert between annotation formats, assemble mosaics, render stained synthetic images, pseudo-label new images.");
        command.Subcommands.Add(DataCheckCommand.Create());
        command.Subcommands.Add(DataDescribeCommand.Create());
        command.Subcommands.Add(DataSplitCommand.Create());
        command.Subcommands.Add(DataCropCommand.Create());
        command.Subcommands.Add(DataConvertCommand.Create());
        command.Subcommands.Add(DataMosaicCommand.Create());
        command.Subcommands.Add(DataSynthesizeCommand.Create());
        command.Subcommands.Add(DataPseudoLabelCommand.Create());
        return command;
    }
}
