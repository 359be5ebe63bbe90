using System.CommandLine;
using Nuclei.Cli;
using Nuclei.Cli.Commands;
using Nuclei.Cli.Commands.Data;

var root = new RootCommand("nuclei: find every cell nucleus in microscope images (instance segmentation), train and evaluate the models that do it. " +
                           "Exit codes: 0 all done; 1 some inputs failed (or data check found problems); 2 usage error or bad input that stopped the command.");
root.Subcommands.Add(SegmentCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(PartitionCommand.Create());
root.Subcommands.Add(MergeCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(TuneCommand.Create());
root.Subcommands.Add(AdaptCommand.Create());
root.Subcommands.Add(BlendCommand.Create());
root.Subcommands.Add(DataCommand.Create());
root.Subcommands.Add(ServeCommand.Create());

return CommandLine.Run(root, args);
