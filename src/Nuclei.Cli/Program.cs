using System.CommandLine;
using Nuclei.Cli.Commands;

var root = new RootCommand("nuclei: find every cell nucleus in microscope images (instance segmentation), train and evaluate the models that do it.");
root.Subcommands.Add(SegmentCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(PartitionCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
return root.Parse(args).Invoke();
