using System.CommandLine;
using Nuclei.Cli.Batch;
using Nuclei.Cli.Commands;
using Nuclei.Cli.Commands.Data;
using Nuclei.Core;

var root = new RootCommand("nuclei: find every cell nucleus in microscope images (instance segmentation), train and evaluate the models that do it.");
root.Subcommands.Add(SegmentCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(PartitionCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(TuneCommand.Create());
root.Subcommands.Add(DataCommand.Create());
root.Subcommands.Add(ServeCommand.Create());

try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is NucleiInputException or IOException or UnauthorizedAccessException)
{
    // A problem with what the user gave us: say which file and what is wrong, without a stack trace.
    Console.Error.WriteLine($"error: {BatchRunner.Describe(e)}");
    return 2;
}
