using System.CommandLine;
using Nuclei.Cli.Commands.Data;
using Nuclei.Cli.Terminal;
using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Torch.Training;
using Spectre.Console;

namespace Nuclei.Cli.Commands;

/// <summary>
/// `nuclei train --data DIR [--config FILE] [--arch NAME] [--epochs N] [--lr X] [--resume|--overwrite] [--out DIR] [--folds K] [key=value ...]`:
/// trains a segmentation network (samuelschen/DSB2018's train.py). Configuration: config/default.ini, then --config,
/// then the named options and key=value / section.key=value overrides. An output folder that holds a run is continued
/// with --resume (from the checkpoint current.json names) or started afresh with --overwrite (the old run's files moved
/// aside); without either it is refused.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var options = new TrainCommandOptions();
        var command = new Command("train", "Train a nucleus segmentation model (checkpoints, validation by instance mean AP, exact resume)");
        options.AddTo(command);
        command.SetAction(parse => Run(options.Read(parse)));
        return command;
    }

    /// <summary>Everything the command line said, parsed but not yet checked.</summary>
    public sealed record TrainSettings(
        string Data, string Out, string? Config, string? Arch, int? Epochs, double? LearningRate, bool Resume, bool Overwrite,
        bool PrintConfig, bool SplitOnly, int Folds, bool Json, string[] Overrides);

    /// <summary>Runs the command; returns the exit code.</summary>
    static int Run(TrainSettings s)
    {
        if (s.Resume && s.Overwrite)
        {
            Messages.Error("--resume and --overwrite exclude each other");
            return CommandLine.Stopped;
        }
        var configuration = ConfigurationLoader.Load(s.Config, ConfigurationOverrides(s), runIniPath: s.Config is null ? SavedConfigurationToResume(s) : null);
        if (s.PrintConfig) { Console.Out.Write(configuration.ToIni()); return CommandLine.Done; }
        if (s.Folds == 1 || s.Folds < 0) throw new NucleiInputException(null, $"--folds must be 2 or more, got {s.Folds}");
        // The k-fold split is made (or found) before --split-only stops, since making it is what --split-only asks for.
        var foldData = s.Folds > 0 ? FoldData(s.Data, s.Out, s.Folds, configuration) : null;
        if (foldData is not null && s.SplitOnly) return CommandLine.Done;
        if (s.SplitOnly) return WriteSplit(s, configuration);

        if (s.Json) StandardOutput.BeginJson();
        var mode = s.Resume ? ResumeMode.Resume : s.Overwrite ? ResumeMode.Fresh : ResumeMode.Auto;
        var request = new TrainingRequest(s.Data, s.Out, configuration, mode);
        try
        {
            return foldData is null ? TrainOne(request, s.Json) : TrainFolds(foldData, request, s.Json);
        }
        catch (TrainingFailedException e)
        {
            // The run worked through its data but made no usable model: not a usage error, a failed item (exit 1).
            Messages.Error(e.Message);
            return CommandLine.SomeFailed;
        }
    }

    /// <summary>
    /// With --resume and no --config: the run's own saved configuration (RUN/config.ini, every key as the run started),
    /// so that `train --out RUN --resume` continues the run as it was started without repeating its settings; key=value
    /// arguments still apply over it. Null otherwise (config/default.ini, then --config, then the arguments).
    /// </summary>
    static string? SavedConfigurationToResume(TrainSettings s)
    {
        if (!s.Resume) return null;
        string saved = Path.Combine(s.Out, "config.ini");
        if (!File.Exists(saved)) return null;
        Messages.Info($"Resuming with the run's saved configuration {saved} (give --config to use another)");
        return saved;
    }

    /// <summary>The key=value arguments, then --arch, --epochs and --lr as the configuration keys they stand for.</summary>
    static List<string> ConfigurationOverrides(TrainSettings s)
    {
        var extra = new List<string>(s.Overrides);
        if (s.Arch is string m) extra.Add("param.model=" + m);
        if (s.Epochs is int n) extra.Add("train.n_epoch=" + n);
        if (s.LearningRate is double x) extra.Add("param.learn_rate=" + x.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        return extra;
    }

    /// <summary>--split-only without --folds: writes OUT/split.csv, the train/valid split training would use.</summary>
    static int WriteSplit(TrainSettings s, NucleiConfiguration configuration)
    {
        string csvPath = configuration.GetString("dataset", "csv_file").Trim();
        var split = TrainingData.Choose(s.Data, configuration, csvPath.Length > 0 ? DatasetCsv.Load(csvPath) : null);
        string path = Path.Combine(s.Out, "split.csv");
        TrainingData.WriteSplit(path, split);
        Console.Out.WriteLine($"{split.Description}; written to {path}");
        return CommandLine.Done;
    }

    static int TrainOne(TrainingRequest request, bool json)
    {
        var result = WithObserver(observer => Trainer.Run(request, observer));
        PrintResult(result);
        if (json)
            StandardOutput.WriteJson(new { Out = Path.GetFullPath(request.OutDir), result.LastEpoch, result.BestCheckpoint, result.BestMeanAp, result.CurrentCheckpoint, result.Epochs });
        return CommandLine.Done;
    }

    static int TrainFolds(IReadOnlyList<string> foldData, TrainingRequest request, bool json)
    {
        var ensemble = WithObserver(observer => FoldTraining.Run(foldData, request, observer));
        for (int i = 0; i < ensemble.Folds.Count; i++)
        {
            Console.Out.Write($"fold {i + 1}: ");
            PrintResult(ensemble.Folds[i]);
        }
        Console.Out.WriteLine($"Ensemble description: {ensemble.Ensemble} (segment --model {ensemble.Ensemble})");
        if (json)
            StandardOutput.WriteJson(new { Out = Path.GetFullPath(request.OutDir), ensemble.Ensemble, Folds = ensemble.Folds.Select(f => new { f.BestCheckpoint, f.BestMeanAp, f.CurrentCheckpoint }) });
        return CommandLine.Done;
    }

    /// <summary>Runs <paramref name="train"/> with a live progress display, or plain lines when the output is not a terminal.</summary>
    static T WithObserver<T>(Func<ITrainingObserver, T> train)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return train(new PlainTrainingObserver(Console.Out));
        return AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => train(new SpectreTrainingObserver(ctx)));
    }

    static void PrintResult(TrainingResult result) =>
        Console.Out.WriteLine(result.BestMeanAp is double best
            ? $"Best validation mean AP {best:0.0000}: {result.BestCheckpoint}; latest checkpoint: {result.CurrentCheckpoint}"
            : $"Model (last epoch, not validated): {result.BestCheckpoint}; latest checkpoint: {result.CurrentCheckpoint}");

    /// <summary>
    /// The fold folders to train on: --data itself when it is a `data split --folds K` output, else OUT/split, made the
    /// way `data split DIR --out OUT/split --folds K --seed cv_seed [--csv csv_file]` makes it (kept and reused by later runs).
    /// </summary>
    static IReadOnlyList<string> FoldData(string data, string outDir, int folds, NucleiConfiguration config)
    {
        if (FoldTraining.IsFoldSplit(data)) return FoldTraining.FoldFolders(data, folds);
        if (Directory.Exists(Path.Combine(data, "train")) && Directory.Exists(Path.Combine(data, "valid")))
            throw new NucleiInputException(data, "holds train/ and valid/: --folds splits one folder of annotated images (e.g. DIR/train) or takes a `data split --folds K` output");
        string splitDir = Path.Combine(outDir, "split");
        if (Directory.Exists(splitDir))
            Console.Out.WriteLine($"Using the k-fold split in {splitDir} (delete it to split again)");
        else
        {
            string csv = config.GetString("dataset", "csv_file").Trim();
            DataSplitCommand.Run(data, splitDir, config.GetDouble("dataset", "cv_ratio"), folds, config.GetInt("dataset", "cv_seed"),
                "acquisition", csv.Length > 0 ? csv : null);
        }
        return FoldTraining.FoldFolders(splitDir, folds);
    }

    /// <summary>A live progress bar per epoch, with samuelschen/DSB2018's progress lines and epoch summaries printed above it.</summary>
    sealed class SpectreTrainingObserver(ProgressContext ctx) : ITrainingObserver
    {
        ProgressTask? _task;
        int _taskEpoch;

        public void Info(string message) => AnsiConsole.WriteLine(message);
        public void Warning(string message) => AnsiConsole.MarkupLine("[yellow]warning:[/] " + Markup.Escape(message));

        public void Step(StepReport r, bool print)
        {
            if (_task is null || _taskEpoch != r.Epoch)
            {
                _task?.StopTask();
                _task = ctx.AddTask($"epoch {r.Epoch}", maxValue: r.StepsInEpoch);
                _taskEpoch = r.Epoch;
            }
            _task.Value = r.Step + 1;
            _task.Description = FormattableString.Invariant($"epoch {r.Epoch} loss {r.LossMean:0.000}") + (double.IsNaN(r.IouMean) ? "" : FormattableString.Invariant($" IoU {r.IouMean:0.000}"));
            if (print) AnsiConsole.WriteLine(r.ProgressLine());
        }

        public void EpochDone(EpochRecord r)
        {
            _task?.StopTask();
            var text = new StringWriter();
            new PlainTrainingObserver(text).EpochDone(r);
            AnsiConsole.Write(text.ToString());
        }
    }
}
