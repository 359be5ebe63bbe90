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
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "training data: a DSB-layout folder (<id>/images, <id>/masks), images with <id>.labels.png, or a folder with train/ and valid/", Required = true };
        var config = new Option<string?>("--config") { Description = "a user INI over config/default.ini" };
        var arch = new Option<string?>("--arch") { Description = "architecture (param.model), e.g. camunet; `nuclei models` lists them" };
        var epochs = new Option<int?>("--epochs") { Description = "number of epochs (train.n_epoch)" };
        var lr = new Option<double?>("--lr") { Description = "learning rate (param.learn_rate)" };
        var resume = new Option<bool>("--resume") { Description = "continue the run in --out from its current checkpoint (error when there is none)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "start afresh in an --out that holds a run: its checkpoints, current.json, log.csv, config.ini, split.csv, learning curve and tensorboard/ are moved into --out/previous-run-<UTC time>/ (nothing is deleted)" };
        var json = JsonSummary.Option();
        var output = new Option<string>("--out") { Description = "output folder: checkpoints, current.json, best.nck (the model to use: the best validated epoch, or the last one without validation images), config.ini, log.csv, learning_curve.png, tensorboard/; one that holds a run needs --resume or --overwrite", DefaultValueFactory = _ => Path.Combine("runs", "train") };
        var printConfig = new Option<bool>("--print-config") { Description = "print the effective configuration and exit" };
        var splitOnly = new Option<bool>("--split-only") { Description = "write OUT/split.csv (image_id,set: train or valid) and exit; with --folds, the k-fold split OUT/split/" };
        var folds = new Option<int>("--folds") { Description = "K >= 2: train one model per fold of the split `data split --folds K` makes (--data may also be such a split) into OUT/fold-1..K, then write OUT/ensemble.nens for segment --model" };
        var overrides = new Argument<string[]>("overrides") { Description = "key=value or section.key=value configuration overrides", Arity = ArgumentArity.ZeroOrMore };

        var command = new Command("train", "train a nucleus segmentation model (checkpoints, validation by instance mean AP, exact resume)");
        foreach (var o in new Option[] { data, config, arch, epochs, lr, resume, overwrite, output, printConfig, splitOnly, folds, json }) command.Options.Add(o);
        command.Arguments.Add(overrides);

        command.SetAction(parse =>
        {
            if (parse.GetValue(resume) && parse.GetValue(overwrite))
            {
                Messages.Error("--resume and --overwrite exclude each other");
                return CommandLine.Stopped;
            }
            var extra = new List<string>(parse.GetValue(overrides) ?? Array.Empty<string>());
            if (parse.GetValue(arch) is string m) extra.Add("param.model=" + m);
            if (parse.GetValue(epochs) is int n) extra.Add("train.n_epoch=" + n);
            if (parse.GetValue(lr) is double x) extra.Add("param.learn_rate=" + x.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            var configuration = ConfigurationLoader.Load(parse.GetValue(config), extra);
            if (parse.GetValue(printConfig)) { Console.Out.Write(configuration.ToIni()); return CommandLine.Done; }
            int k = parse.GetValue(folds);
            if (k == 1 || k < 0) throw new NucleiInputException(null, $"--folds must be 2 or more, got {k}");
            var foldData = k > 0 ? FoldData(parse.GetValue(data)!, parse.GetValue(output)!, k, configuration) : null;
            if (foldData is not null && parse.GetValue(splitOnly)) return CommandLine.Done;
            if (parse.GetValue(splitOnly))
            {
                string csvPath = configuration.GetString("dataset", "csv_file").Trim();
                var split = TrainingData.Choose(parse.GetValue(data)!, configuration, csvPath.Length > 0 ? DatasetCsv.Load(csvPath) : null);
                string path = Path.Combine(parse.GetValue(output)!, "split.csv");
                TrainingData.WriteSplit(path, split);
                Console.Out.WriteLine($"{split.Description}; written to {path}");
                return 0;
            }

            if (parse.GetValue(json)) StandardOutput.BeginJson();
            var mode = parse.GetValue(resume) ? ResumeMode.Resume : parse.GetValue(overwrite) ? ResumeMode.Fresh : ResumeMode.Auto;
            var request = new TrainingRequest(parse.GetValue(data)!, parse.GetValue(output)!, configuration, mode);
            if (foldData is null)
            {
                var result = WithObserver(observer => Trainer.Run(request, observer));
                PrintResult(result);
                if (parse.GetValue(json))
                    StandardOutput.WriteJson(new { Out = Path.GetFullPath(parse.GetValue(output)!), result.LastEpoch, result.BestCheckpoint, result.BestMeanAp, result.CurrentCheckpoint, result.Epochs });
                return CommandLine.Done;
            }
            var ensemble = WithObserver(observer => FoldTraining.Run(foldData, request, observer));
            for (int i = 0; i < ensemble.Folds.Count; i++)
            {
                Console.Out.Write($"fold {i + 1}: ");
                PrintResult(ensemble.Folds[i]);
            }
            Console.Out.WriteLine($"Ensemble description: {ensemble.Ensemble} (segment --model {ensemble.Ensemble})");
            if (parse.GetValue(json))
                StandardOutput.WriteJson(new { Out = Path.GetFullPath(parse.GetValue(output)!), ensemble.Ensemble, Folds = ensemble.Folds.Select(f => new { f.BestCheckpoint, f.BestMeanAp, f.CurrentCheckpoint }) });
            return CommandLine.Done;
        });
        return command;
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
            _task.Description = FormattableString.Invariant($"epoch {r.Epoch} loss {r.LossMean:0.000} IoU {r.IouMean:0.000}");
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
