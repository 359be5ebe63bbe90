using System.CommandLine;
using System.Globalization;
using Nuclei.Cli.Terminal;
using Nuclei.Torch.Checkpoints;

namespace Nuclei.Cli.Commands;

/// <summary>
/// `nuclei blend FIRST.nck SECOND.nck --weight W --out BLEND.nck`: a weight-space blend of two checkpoints of one
/// network (<see cref="CheckpointBlending"/>), typically a model and a fine-tuned copy of it; `tune` then chooses its
/// thresholds.
/// </summary>
internal static class BlendCommand
{
    public static Command Create()
    {
        var first = new Argument<string>("FIRST") { Description = "a checkpoint (.nck): its configuration, training diameter and history are kept" };
        var second = new Argument<string>("SECOND") { Description = "a checkpoint of the same architecture and options, usually FIRST fine-tuned" };
        var weight = new Option<double>("--weight") { Description = "SECOND's share of the weights, 0..1 (0 gives FIRST, 1 SECOND)", DefaultValueFactory = _ => 0.5 };
        var outPath = new Option<string>("--out") { Description = "the blended checkpoint to write (never an input); it has no evaluation until `nuclei tune` measures one", Required = true };
        var command = new Command("blend", "Blend two checkpoints of one network into one (weight-space ensemble: a fine-tuned model with the model it started from), at one model's cost");
        command.Arguments.Add(first);
        command.Arguments.Add(second);
        command.Options.Add(weight);
        command.Options.Add(outPath);
        command.SetAction(parse =>
        {
            string outFile = parse.GetValue(outPath)!;
            var record = CheckpointBlending.Blend(parse.GetValue(first)!, parse.GetValue(second)!, parse.GetValue(weight), outFile);
            Messages.Info(string.Create(CultureInfo.InvariantCulture,
                $"wrote {outFile}: {1 - record.Weight:0.###} x {record.First} + {record.Weight:0.###} x {record.Second}; choose its thresholds with `nuclei tune --model {outFile} --data DIR --out TUNED.nck`"));
            return CommandLine.Done;
        });
        return command;
    }
}
