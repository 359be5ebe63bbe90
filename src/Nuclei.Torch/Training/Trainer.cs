using System.Diagnostics;
using Nuclei.Core;
using Nuclei.Core.Augmentation;
using Nuclei.Core.Configuration;
using Nuclei.Core.IO;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Training;

/// <summary>How a run treats an existing checkpoint in its output folder.</summary>
public enum ResumeMode { Auto, Resume, Fresh }

/// <summary>What `nuclei train` asks for.</summary>
public sealed record TrainingRequest(string DataDir, string OutDir, NucleiConfiguration Config, ResumeMode Resume = ResumeMode.Auto)
{
    /// <summary>Stop after this many epochs of this invocation (tests: "1 epoch then resume"); null = to n_epoch.</summary>
    public int? StopAfterEpochs { get; init; }
    /// <summary>Called with the temporary checkpoint path just before it is renamed into place (fault injection in tests).</summary>
    public Action<string>? BeforeCheckpointCommit { get; init; }
}

/// <summary>The outcome of a run.</summary>
public sealed record TrainingResult(int LastEpoch, string? CurrentCheckpoint, string? BestCheckpoint, double? BestMeanAp, IReadOnlyList<EpochRecord> Epochs);

/// <summary>
/// The training loop (the seed's train.py): data in memory, batches prepared on background threads,
/// Adam or SGD with a step-wise learning-rate schedule and gradient accumulation, validation by instance
/// mean AP every n_cv_epoch epochs, checkpoints every n_ckpt_epoch epochs plus `best`, and an exact resume
/// (model, optimizer, epoch and every random draw).
/// </summary>
public static class Trainer
{
    public static TrainingResult Run(TrainingRequest request, ITrainingObserver observer)
    {
        var config = request.Config;
        var opt = TrainingOptions.FromConfiguration(config);
        string outDir = Path.GetFullPath(request.OutDir);
        EnsureWritable(outDir);
        if (opt.Threads > 0) torch.set_num_threads(opt.Threads);

        // ---- data (all checks before any training) ----
        string csvPath = config.GetString("dataset", "csv_file").Trim();
        DatasetCsv? csv = csvPath.Length > 0 ? DatasetCsv.Load(csvPath) : null;
        var split = TrainingData.Choose(request.DataDir, config, csv);
        observer.Info("Data: " + split.Description);
        TrainingData.WriteSplit(Path.Combine(outDir, "split.csv"), split);
        int minObject = config.GetInt("pre", "min_object_size");
        string groupBy = config.GetString("dataset", "group_by").Trim();
        var loadTime = Stopwatch.StartNew();
        var train = TrainingData.Load(split.Train, csv, groupBy, minObject, observer.Warning);
        var valid = TrainingData.Load(SubsetForValidation(split.Valid, opt.ValidMaxImages, config.GetInt("dataset", "cv_seed")), csv, groupBy, minObject, observer.Warning);
        if (train.Count == 0)
            throw new NucleiInputException(request.DataDir, "no training images left (after the validation split, CSV filters and skipped samples)");
        if (train.Count < opt.BatchSize && opt.EpochSize < opt.BatchSize)
            throw new NucleiInputException(request.DataDir, $"{train.Count} training images is fewer than one batch of {opt.BatchSize} (lower [train] n_batch or set epoch_size)");
        if (opt.ValidMaxSize > 0) valid = valid.Select(v => CentreCrop(v, opt.ValidMaxSize)).ToList();
        observer.Info(FormattableString.Invariant($"Loaded {train.Count} training and {valid.Count} validation images in {loadTime.Elapsed.TotalSeconds:0.0} s"));

        // ---- model, optimizer, resume ----
        string? resumeFrom = request.Resume == ResumeMode.Fresh ? null : CheckpointPointer.Read(outDir);
        if (request.Resume == ResumeMode.Resume && resumeFrom is null)
            throw new NucleiInputException(outDir, "--resume given but there is no checkpoint to resume (no current.json)");
        if (request.Resume == ResumeMode.Fresh) ClearRun(outDir);

        SegmentationNet net;
        TrainerState state;
        LoadedCheckpoint? loaded = null;
        if (resumeFrom != null)
        {
            loaded = Checkpoint.Load(resumeFrom);
            if (!string.Equals(loaded.ModelName, opt.ModelName, StringComparison.OrdinalIgnoreCase) || loaded.Options != opt.ModelOptions)
                throw new NucleiInputException(resumeFrom, $"holds model '{loaded.ModelName}' with other options than the configured '{opt.ModelName}'; use --no-resume or another --out");
            net = loaded.Net;
            state = loaded.Info.RandomState is byte[] rs ? TrainerState.FromBytes(rs) : throw new NucleiInputException(resumeFrom, "checkpoint has no trainer state to resume from");
            observer.Info($"Loading checkpoint '{resumeFrom}' (epoch {state.Epoch})");
        }
        else
        {
            torch.manual_seed(opt.Seed);
            net = ModelRegistry.Create(opt.ModelName, opt.ModelOptions, "configuration");
            state = new TrainerState { Seed = opt.Seed };
            observer.Info("Grand new training ...");
            if (opt.Pretrained && net is MultiHeadUNet u && EncoderFactory.HasImageNetWeights(opt.ModelOptions.Encoder))
                observer.Info($"Encoder {opt.ModelOptions.Encoder}: {EncoderFactory.LoadImageNetWeights(opt.ModelOptions.Encoder, u.Encoder)} ImageNet tensors loaded");
        }
        if (opt.CropSize % net.SizeMultiple != 0)
            throw new NucleiInputException("configuration", $"[param] width = {opt.CropSize} is not a multiple of {net.SizeMultiple}, which {opt.ModelName} needs");
        net.train();
        var (optimizer, lrRatios) = CreateOptimizer(net, opt);
        if (loaded?.Info.OptimizerState is byte[] os)
        {
            using var reader = new BinaryReader(new MemoryStream(os));
            optimizer.load_state_dict(reader);
        }

        var loss = TrainingLoss.Create(net.Heads, config);
        var targets = HeadTargets.Create(net.Heads, config, weighted: loss.UsesWeightMap);
        var normalize = NormalizationFrom(config);
        var augment = new AugmentationPipeline(AugmentationOptions.FromConfiguration(config));
        var maker = new BatchMaker(train, augment, normalize, targets, opt.BatchSize, opt.Seed);
        var validator = new Validator(valid, normalize, PartitionFrom(config));

        int epochLength = TrainingData.EpochOrder(train, opt.BalanceGroups, opt.Seed, 1, opt.EpochSize, opt.BalancePower).Length;
        double medianDiameter = NucleusSize.MedianDiameter(train.Select(t => t.Labels)) ?? double.NaN;
        observer.Info(FormattableString.Invariant($"Training images: {string.Join(", ", train.GroupBy(t => t.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"))}; median nucleus diameter {medianDiameter:0.0} px"));
        int stepsPerEpoch = maker.BatchesPerEpoch(epochLength);
        int updatesPerEpoch = (stepsPerEpoch + opt.Accumulate - 1) / opt.Accumulate;
        var schedule = new LearningRateSchedule(opt.Schedule, opt.LearningRate, opt.Epochs, updatesPerEpoch,
            opt.WarmupEpochs, opt.MinLrRatio, opt.StepEpochs, opt.StepGamma);

        string configText = config.ToIni();
        AtomicFile.WriteAllText(Path.Combine(outDir, "config.ini"), configText);
        observer.Info(configText);
        observer.Info(FormattableString.Invariant($"Model {opt.ModelName}: {net.ParameterCount() / 1e6:0.00} M parameters, heads {string.Join(", ", net.Heads)}; {stepsPerEpoch} steps of {opt.BatchSize} crops of {opt.CropSize}² per epoch; validation on {valid.Count} images"));

        var csvLog = new TrainingCsvLog(Path.Combine(outDir, "log.csv"));
        csvLog.KeepUpTo(state.Epoch);
        var history = csvLog.Read().ToList();
        var tensorboard = torch.utils.tensorboard.SummaryWriter(Path.Combine(outDir, "tensorboard"));
        string? current = resumeFrom, best = File.Exists(Path.Combine(outDir, "best" + Checkpoint.Extension)) ? Path.Combine(outDir, "best" + Checkpoint.Extension) : null;

        observer.Info("Training started...");
        int lastEpoch = request.StopAfterEpochs is int k ? Math.Min(opt.Epochs, state.Epoch + k) : opt.Epochs;
        for (int epoch = state.Epoch + 1; epoch <= lastEpoch; epoch++)
        {
            if (opt.TimeBudgetMinutes > 0 && state.ElapsedSeconds >= opt.TimeBudgetMinutes * 60) break;   // a resumed run whose budget is spent
            var epochClock = Stopwatch.StartNew();
            torch.manual_seed(SeedMix.Of(opt.Seed, epoch, 0x70C4));   // dropout draws depend only on (seed, epoch)
            var order = TrainingData.EpochOrder(train, opt.BalanceGroups, opt.Seed, epoch, opt.EpochSize, opt.BalancePower);
            var lossAvg = new RunningAverage();
            var iouAvg = new RunningAverage();
            long step = state.Step;
            double budgetSeconds = opt.TimeBudgetMinutes * 60;
            // Position in the run, in epochs: by steps, or by the share of the time budget spent.
            double Position(long s) => budgetSeconds > 0
                ? Math.Min(1, (state.ElapsedSeconds + epochClock.Elapsed.TotalSeconds) / budgetSeconds) * opt.Epochs
                : s / (double)Math.Max(1, updatesPerEpoch);
            double lr = schedule.RateAtEpoch(Position(step), state.PlateauFactor);
            bool budgetSpent = false;
            int stepsDone = 0;
            using (var queue = new OrderedBatchQueue<TrainingBatch>(stepsPerEpoch, i => maker.Make(order, epoch, i), opt.Workers, opt.QueueSize))
            {
                optimizer.zero_grad();
                for (int i = 0; i < stepsPerEpoch; i++)
                {
                    using var quiet = NoGcWindow.Enter();        // see NoGcWindow: no finalizer may free a Scalar mid-call
                    var stepClock = Stopwatch.StartNew();
                    double waitBefore = queue.WaitSeconds;
                    var batch = queue.Take();
                    double io = queue.WaitSeconds - waitBefore;
                    double lossValue, iou;
                    using (var scope = NewDisposeScope())
                    {
                        var x = tensor(batch.Images, new long[] { batch.Count, batch.Channels, batch.Height, batch.Width });
                        var y = tensor(batch.Targets, new long[] { batch.Count, batch.Heads, batch.Height, batch.Width });
                        var w = batch.Weights is null ? null : tensor(batch.Weights, new long[] { batch.Count, batch.Heads, batch.Height, batch.Width });
                        var logits = net.forward(x);
                        var l = loss.Compute(logits, y, w);
                        (opt.Accumulate > 1 ? l / opt.Accumulate : l).backward();
                        lossValue = l.item<float>();
                        iou = SemanticIou(logits, y);
                    }
                    bool update = (i + 1) % opt.Accumulate == 0 || i == stepsPerEpoch - 1;
                    if (update)
                    {
                        lr = schedule.RateAtEpoch(Position(step), state.PlateauFactor);
                        int gi = 0;
                        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr * lrRatios[gi++];
                        optimizer.step();
                        optimizer.zero_grad();
                        step++;
                    }
                    lossAvg.Add(lossValue);
                    iouAvg.Add(iou);
                    var report = new StepReport(epoch, i, stepsPerEpoch, stepClock.Elapsed.TotalSeconds, io, lossValue, lossAvg.Mean, iou, iouAvg.Mean);
                    observer.Step(report, i % opt.PrintFrequency == 0 || i == stepsPerEpoch - 1);
                    tensorboard.add_scalar("train/loss", (float)lossValue, (int)step, Walltime());
                    stepsDone = i + 1;
                    if (budgetSeconds > 0 && update && state.ElapsedSeconds + epochClock.Elapsed.TotalSeconds >= budgetSeconds)
                    {
                        budgetSpent = true;
                        observer.Info(FormattableString.Invariant($"Time budget of {opt.TimeBudgetMinutes} minutes spent: last epoch"));
                        break;
                    }
                }
                if (budgetSpent) lastEpoch = epoch;
                double epochSeconds = epochClock.Elapsed.TotalSeconds;
                state = state with { Epoch = epoch, Step = step, ElapsedSeconds = state.ElapsedSeconds + epochSeconds };
                double imagesPerSecond = stepsDone * opt.BatchSize / epochSeconds;
                double inputShare = queue.WaitSeconds / epochSeconds;

                double? meanAp = null, validIou = null;
                ValidationScore? score = null;
                bool improved = false;
                if ((epoch % opt.ValidateEvery == 0 || epoch == opt.Epochs || budgetSpent) && validator.Count > 0)
                {
                    var vClock = Stopwatch.StartNew();
                    score = validator.Score(net, observer.Warning);
                    double ap = score.Balanced, viou = score.PixelIou;
                    meanAp = ap; validIou = viou;
                    observer.Info(FormattableString.Invariant($"Validation at epoch {epoch}: instance mean AP {score.MeanAp:0.0000} (by kind: {score.Describe()}; balanced {ap:0.0000}), pixel IoU {viou:0.000} on {validator.Count} images ({vClock.Elapsed.TotalSeconds:0.0} s)"));
                    improved = !double.IsNaN(ap) && (state.BestMeanAp is not double b || ap > b);
                    if (improved) state = state with { BestMeanAp = ap, BestEpoch = epoch, ValidationsWithoutImprovement = 0 };
                    else
                    {
                        int bad = state.ValidationsWithoutImprovement + 1;
                        double factor = state.PlateauFactor;
                        if (opt.Schedule == "plateau" && bad >= opt.PlateauPatience) { factor *= opt.PlateauFactor; bad = 0; observer.Info($"Validation plateau: learning rate × {opt.PlateauFactor}"); }
                        state = state with { ValidationsWithoutImprovement = bad, PlateauFactor = factor };
                    }
                    tensorboard.add_scalar("valid/mean_ap", (float)score.MeanAp, (int)step, Walltime());
                    tensorboard.add_scalar("valid/balanced_mean_ap", (float)ap, (int)step, Walltime());
                    foreach (var (kind, kindAp) in score.ByKind) tensorboard.add_scalar("valid/mean_ap_" + kind, (float)kindAp, (int)step, Walltime());
                    tensorboard.add_scalar("valid/pixel_iou", (float)viou, (int)step, Walltime());
                    state = state with { ElapsedSeconds = state.ElapsedSeconds + vClock.Elapsed.TotalSeconds };   // the budget counts wall time
                }

                var record = new EpochRecord(epoch, step, state.ElapsedSeconds, epochSeconds, lr, lossAvg.Mean, iouAvg.Mean, imagesPerSecond, inputShare, meanAp, validIou);
                history.Add(record);
                csvLog.Append(record);
                tensorboard.add_scalar("train/epoch_loss", (float)lossAvg.Mean, epoch, Walltime());
                tensorboard.add_scalar("train/epoch_iou", (float)iouAvg.Mean, epoch, Walltime());
                tensorboard.add_scalar("train/images_per_s", (float)imagesPerSecond, epoch, Walltime());
                tensorboard.add_scalar("train/lr", (float)lr, epoch, Walltime());
                observer.EpochDone(record);

                var info = new CheckpointInfo
                {
                    Configuration = ConfigPairs(config),
                    Epoch = epoch,
                    Step = step,
                    ValidationScore = meanAp,
                    ValidationByKind = score?.ByKind,
                    MedianDiameter = double.IsNaN(medianDiameter) ? null : medianDiameter,
                };
                if (improved)
                {
                    // best: weights only (it is the model to ship, not to resume), so it stays small.
                    best = Path.Combine(outDir, "best" + Checkpoint.Extension);
                    Checkpoint.Save(best, net, info);
                }
                if (epoch % opt.CheckpointEvery == 0 || epoch == lastEpoch)
                {
                    string path = Path.Combine(outDir, $"ckpt-{epoch}{Checkpoint.Extension}");
                    byte[] optimizerState;
                    using (var ms = new MemoryStream())
                    {
                        using (var bw = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(bw);
                        optimizerState = ms.ToArray();
                    }
                    var full = info with { OptimizerState = optimizerState, RandomState = state.ToBytes() };
                    if (request.BeforeCheckpointCommit is { } hook)
                    {
                        // Fault injection: write to a temporary name, call the hook (which may kill us), then rename.
                        string tmp = path + ".partial";
                        Checkpoint.Save(tmp, net, full);
                        hook(tmp);
                        File.Move(tmp, path, overwrite: true);
                    }
                    else Checkpoint.Save(path, net, full);
                    CheckpointPointer.Write(outDir, path, epoch);
                    current = path;
                }
                LearningCurvePlot.Write(Path.Combine(outDir, "learning_curve.png"), history);
            }
        }
        observer.Info("Training finished...");
        optimizer.Dispose();
        return new TrainingResult(state.Epoch, current, best, state.BestMeanAp, history);
    }

    /// <summary>
    /// Adam or SGD over the network's parameters; with a pretrained encoder and [train] encoder_lr_ratio ≠ 1, the
    /// encoder's parameters form a group of their own. Returns each group's learning-rate ratio, in group order.
    /// </summary>
    static (OptimizerHelper Optimizer, double[] Ratios) CreateOptimizer(SegmentationNet net, TrainingOptions opt)
    {
        var all = net.parameters().ToList();
        var groups = new List<(List<Parameter> Params, double Ratio)>();
        if (opt.EncoderLrRatio != 1 && net is MultiHeadUNet u)
        {
            var encoder = u.Encoder.parameters().ToHashSet(ReferenceEqualityComparer.Instance);
            groups.Add((all.Where(p => encoder.Contains(p)).ToList(), opt.EncoderLrRatio));
            groups.Add((all.Where(p => !encoder.Contains(p)).ToList(), 1.0));
        }
        else groups.Add((all, 1.0));
        OptimizerHelper optimizer = opt.Optimizer == "sgd"
            ? torch.optim.SGD(groups.Select(g => new SGD.ParamGroup(g.Params, new SGD.Options { LearningRate = opt.LearningRate * g.Ratio, momentum = opt.Momentum, weight_decay = opt.WeightDecay })), opt.LearningRate, opt.Momentum, weight_decay: opt.WeightDecay)
            : torch.optim.Adam(groups.Select(g => new Adam.ParamGroup(g.Params, new Adam.Options { LearningRate = opt.LearningRate * g.Ratio, weight_decay = opt.WeightDecay })), opt.LearningRate, weight_decay: opt.WeightDecay);
        return (optimizer, groups.Select(g => g.Ratio).ToArray());
    }

    /// <summary>TensorBoard wall time: Unix seconds (TorchSharp would otherwise store .NET ticks).</summary>
    static long Walltime() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Pixel IoU of the semantic head (channel 0) at probability 0.5 (logit 0).</summary>
    static double SemanticIou(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var p = logits[.., 0] > 0;
        var t = targets[.., 0] > 0.5;
        double inter = (p & t).sum().item<long>(), union = (p | t).sum().item<long>();
        return union == 0 ? 1.0 : inter / union;
    }

    static IReadOnlyList<KeyValuePair<string, string>> ConfigPairs(NucleiConfiguration c) =>
        c.SectionNames.SelectMany(s => c.Section(s).Select(kv => new KeyValuePair<string, string>(s + "." + kv.Key, kv.Value))).ToList();

    // Normalisation and post-processing are read from the configuration by the same functions `segment` uses on a
    // checkpoint's saved configuration, so validation during training scores exactly what inference will do.
    static Nuclei.Torch.Inference.CheckpointSettings SettingsOf(NucleiConfiguration c) => new(ConfigPairs(c));

    public static Normalization NormalizationFrom(NucleiConfiguration c) => Nuclei.Torch.Inference.CheckpointModels.NormalizationOf(SettingsOf(c));

    public static Nuclei.Core.PostProcessing.PartitionOptions PartitionFrom(NucleiConfiguration c) => Nuclei.Torch.Inference.CheckpointModels.PartitionOptionsOf(SettingsOf(c));

    /// <summary>A fixed subset for validation during training (the same images every time), or all when max is 0.</summary>
    static IReadOnlyList<Nuclei.Core.Data.AnnotatedSample> SubsetForValidation(IReadOnlyList<Nuclei.Core.Data.AnnotatedSample> valid, int max, int seed)
    {
        if (max <= 0 || valid.Count <= max) return valid;
        var arr = valid.ToArray();
        new Random(seed + 1).Shuffle(arr);
        return arr.Take(max).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
    }

    static TrainingItem CentreCrop(TrainingItem item, int max)
    {
        int h = Math.Min(item.Image.Height, max), w = Math.Min(item.Image.Width, max);
        if (h == item.Image.Height && w == item.Image.Width) return item;
        int top = (item.Image.Height - h) / 2, left = (item.Image.Width - w) / 2;
        return item with { Image = Geometry.Crop(item.Image, top, left, h, w), Labels = Geometry.Crop(item.Labels, top, left, h, w) };
    }

    /// <summary>An unwritable output folder is an error before any training starts.</summary>
    static void EnsureWritable(string outDir)
    {
        try
        {
            Directory.CreateDirectory(outDir);
            string probe = Path.Combine(outDir, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NucleiInputException(outDir, "output folder is not writable: " + e.Message, e);
        }
    }

    /// <summary>--no-resume: forget the previous run's pointer and log (its checkpoints are overwritten as the new run reaches them).</summary>
    static void ClearRun(string outDir)
    {
        foreach (string name in new[] { CheckpointPointer.FileName, "log.csv", "best" + Checkpoint.Extension })
        {
            string p = Path.Combine(outDir, name);
            if (File.Exists(p)) File.Delete(p);
        }
        string tb = Path.Combine(outDir, "tensorboard");
        if (Directory.Exists(tb)) Directory.Delete(tb, recursive: true);
    }
}
