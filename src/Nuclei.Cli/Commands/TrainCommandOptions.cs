using System.CommandLine;
using Nuclei.Cli.Terminal;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The options and arguments of `nuclei train`, added in the order --help lists them, and read into
/// <see cref="TrainCommand.TrainSettings"/>.
/// </summary>
internal sealed class TrainCommandOptions
{
    readonly Option<string> data = new("--data") { Description = "training data: a DSB-layout folder (<id>/images, <id>/masks), images with <id>.labels.png, or a folder with train/ and valid/", Required = true };
    readonly Option<string?> config = new("--config") { Description = "a user INI over config/default.ini" };
    readonly Option<string?> arch = new("--arch") { Description = "architecture (param.model), e.g. camunet; `nuclei models` lists them" };
    readonly Option<int?> epochs = new("--epochs") { Description = "number of epochs (train.n_epoch)" };
    readonly Option<double?> lr = new("--lr") { Description = "learning rate (param.learn_rate)" };
    readonly Option<bool> resume = new("--resume") { Description = "continue the run in --out from its current checkpoint (error when there is none)" };
    readonly Option<bool> overwrite = new("--overwrite") { Description = "start afresh in an --out that holds a run: its checkpoints, current.json, log.csv, config.ini, split.csv, learning curve and tensorboard/ are moved into --out/previous-run-<UTC time>/ (nothing is deleted)" };
    readonly Option<bool> json = JsonSummary.Option();
    readonly Option<string> output = new("--out") { Description = "output folder: checkpoints, current.json, best.nck (the model to use: the best validated epoch, or the last one without validation images), config.ini, log.csv, learning_curve.png, tensorboard/; one that holds a run needs --resume or --overwrite", DefaultValueFactory = _ => Path.Combine("runs", "train") };
    readonly Option<bool> printConfig = new("--print-config") { Description = "print the effective configuration and exit" };
    readonly Option<bool> splitOnly = new("--split-only") { Description = "write OUT/split.csv (image_id,set: train or valid) and exit; with --folds, the k-fold split OUT/split/" };
    readonly Option<int> folds = new("--folds") { Description = "K >= 2: train one model per fold of the split `data split --folds K` makes (--data may also be such a split) into OUT/fold-1..K, then write OUT/ensemble.nens for segment --model" };
    readonly Argument<string[]> overrides = new("overrides") { Description = "key=value or section.key=value configuration overrides", Arity = ArgumentArity.ZeroOrMore };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { data, config, arch, epochs, lr, resume, overwrite, output, printConfig, splitOnly, folds, json }) command.Options.Add(o);
        command.Arguments.Add(overrides);
    }

    /// <summary>The values given, unchecked: the command refuses the bad combinations (--resume with --overwrite, --folds 1).</summary>
    public TrainCommand.TrainSettings Read(ParseResult parse) => new(
        Data: parse.GetValue(data)!,
        Out: parse.GetValue(output)!,
        Config: parse.GetValue(config),
        Arch: parse.GetValue(arch),
        Epochs: parse.GetValue(epochs),
        LearningRate: parse.GetValue(lr),
        Resume: parse.GetValue(resume),
        Overwrite: parse.GetValue(overwrite),
        PrintConfig: parse.GetValue(printConfig),
        SplitOnly: parse.GetValue(splitOnly),
        Folds: parse.GetValue(folds),
        Json: parse.GetValue(json),
        Overrides: parse.GetValue(overrides) ?? Array.Empty<string>());
}
