using System.Diagnostics;
using Nuclei.Core.Data;
using Nuclei.Core.Augmentation;
using Nuclei.Core.IO;
using Nuclei.Core.Memory;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Runtime;
using Nuclei.Torch.Models;
using Nuclei.Torch.Models.Detection;
using Nuclei.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Torch.Training;

/// <summary>
/// One run of the training loop (samuelschen/DSB2018's train.py): data in memory, batches prepared on background threads, Adam or
/// SGD with a step-wise learning-rate schedule and gradient accumulation, validation by instance mean AP every
/// n_cv_epoch epochs, checkpoints every n_ckpt_epoch epochs plus `best`, and an exact resume (model, optimizer, epoch
/// and every random draw). Its outputs are <see cref="TrainingRecorders"/>; it disposes everything it creates.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    readonly TrainingRequest _request;
    readonly ITrainingObserver _observer;
    readonly TrainingOptions _opt;
    readonly TrainingMix _mix;
    readonly SegmentationNet _net;
    readonly BFloat16Pass? _bf16;
    readonly TrainingOptimizer _optimizer;
    readonly TrainingLoss _loss;
    readonly FiniteStepGuard _guard;
    readonly BatchMaker _maker;
    readonly Validator _validator;
    /// <summary>A few training images: without validation images, what the end of the run checks the model finds nuclei in.</summary>
    readonly Validator _trainingCheck;
    readonly IReadOnlyList<TrainingItem> _valid;
    readonly IReadOnlyList<AnnotatedSample> _validSamples;
    readonly TimeBudget _budget;
    readonly BudgetCheck _budgetCheck;
    readonly long _updatesAtStart;
    readonly int _stepsPerEpoch, _updatesPerEpoch;
    readonly LearningRateSchedule _schedule;
    readonly double? _medianDiameter;
    readonly RunCheckpoints _checkpoints;
    readonly TrainingRecorders _recorders;
    readonly List<EpochRecord> _history;
    readonly List<IDisposable> _owned = new();
    TrainerState _state;

    /// <summary>Checks and loads everything a run needs (bad input fails here, before any training).</summary>
    public static TrainingRun Open(TrainingRequest request, ITrainingObserver observer)
    {
        var opt = TrainingOptions.FromConfiguration(request.Config);
        if (opt.InitFrom.Length > 0)
        {
            request = request with { Config = FineTuneInheritance.Apply(request.Config, opt.InitFrom, observer.Info) };
            opt = TrainingOptions.FromConfiguration(request.Config);
        }
        var folder = new RunFolder(request.OutDir);
        folder.Prepare(request.Resume, observer.Info);
        if (opt.Threads > 0) torch.set_num_threads(opt.Threads);
        if (opt.DebugNonFinite) NonFiniteDebugging.Enable(observer);
        NativeHeap.RetainFreedMemory();   // activations and gradients reuse freed memory instead of page-faulting it in every step
        var data = TrainingSets.Load(request, opt, folder.Dir, observer);
        opt = FewImagesEpoch(opt, data.Train.Count, observer);
        var start = TrainingStart.Open(request, opt, folder, observer);
        return new TrainingRun(request, observer, opt, folder, data, start);
    }

    /// <summary>Batches an epoch of a handful of images draws (<see cref="FewImagesEpoch"/>).</summary>
    const int FewImagesEpochBatches = 25;

    /// <summary>
    /// epoch_size 0 draws one crop per training image; a handful of corrected images (fewer than a batch) would make an
    /// epoch of no step, or of one step whose checkpoint, log and plot cost more than it, so such an epoch draws
    /// <see cref="FewImagesEpochBatches"/> batches of crops instead.
    /// </summary>
    static TrainingOptions FewImagesEpoch(TrainingOptions opt, int images, ITrainingObserver observer)
    {
        if (opt.EpochSize != 0 || images >= opt.BatchSize) return opt;
        int crops = FewImagesEpochBatches * opt.BatchSize;
        observer.Info($"{images} training image(s), fewer than a batch of {opt.BatchSize}: each epoch draws {crops} crops of them ({FewImagesEpochBatches} batches; [train] epoch_size sets another number)");
        return opt with { EpochSize = crops };
    }

    TrainingRun(TrainingRequest request, ITrainingObserver observer, TrainingOptions opt, RunFolder folder, TrainingSets data, TrainingStart start)
    {
        _request = request; _observer = observer; _opt = opt;
        _mix = new TrainingMix(data.Train, data.Pseudo, opt);
        _net = Own(start.Net);
        _state = start.State;
        try
        {
            TrainingMode.Set(_net, opt.FreezeBatchNorm);
            Own(OneDnnConvolutions.AvoidForNarrow(_net, observer.Info));
            var settings = SavedConfiguration.Settings(request.Config);
            bool bf16 = ComputePrecisions.Resolve(opt.Precision) == ComputePrecision.Bf16;
            if (_net is IInstanceDetector detector) ConfigureDetector(detector, settings, opt, ref bf16);
            if (bf16) _bf16 = Own(new BFloat16Pass(_net, () => ModelRegistry.Create(opt.ModelName, opt.ModelOptions, "configuration"), opt.FreezeBatchNorm));
            _optimizer = Own(new TrainingOptimizer(_net, opt));
            _guard = Own(new FiniteStepGuard(_net, opt.MaxNonFiniteSteps, observer.Warning));
            if (start.OptimizerState is byte[] os) _optimizer.LoadState(os);
            _loss = TrainingLoss.Create(_net.Heads, request.Config);
            _maker = CreateBatchMaker(settings);
            _validator = new Validator(data.Valid, settings);
            _trainingCheck = new Validator(data.Train.Take(TrainingCheckImages).ToList(), settings);
            _valid = data.Valid;
            _validSamples = data.ValidSamples;
            // A fine-tuned or resumed model keeps the scale its checkpoint learned; a new one learns its data's.
            _medianDiameter = start.MedianDiameter ?? data.MedianDiameter();
            observer.Info(FormattableString.Invariant($"Training images: {data.DescribeKinds()}; median nucleus diameter {_medianDiameter ?? double.NaN:0.0} px"));
            _stepsPerEpoch = _maker.BatchesPerEpoch(_mix.Order(1).Length);
            _updatesPerEpoch = (_stepsPerEpoch + opt.Accumulate - 1) / opt.Accumulate;
            _schedule = new LearningRateSchedule(opt.Schedule, opt.LearningRate, opt.Epochs, _updatesPerEpoch,
                opt.WarmupEpochs, opt.MinLrRatio, opt.StepEpochs, opt.StepGamma);
            _budget = new TimeBudget(opt.TimeBudgetMinutes, opt.Epochs);
            _updatesAtStart = _state.Step;
            _budgetCheck = new BudgetCheck(_budget, opt.MinBudgetUpdates, _updatesAtStart);
            WriteConfiguration(folder);
            var log = OpenLog(folder, out _history);
            _recorders = Own(TrainingRecorders.Create(folder, log, observer, opt));
            _checkpoints = new RunCheckpoints(folder, _net, _optimizer, request.BeforeCheckpointCommit, start.ResumedFrom);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>
    /// A detector takes its [maskrcnn] settings from the configuration; it trains in float32 (its pass has no bfloat16
    /// copy), so precision = auto falls back to fp32 and an explicit bf16 is refused.
    /// </summary>
    void ConfigureDetector(IInstanceDetector detector, CheckpointSettings settings, TrainingOptions opt, ref bool bf16)
    {
        detector.Configure(MaskRcnnSettings.From(settings));
        if (bf16 && opt.Precision == ComputePrecision.Bf16)
            throw new NucleiInputException("configuration", $"[train] precision = bf16: {opt.ModelName} trains in fp32 only");
        bf16 = false;
    }

    /// <summary>Crops augmented, normalised as the checkpoint's configuration says, with the loss's targets (a detector: the crops' label maps).</summary>
    BatchMaker CreateBatchMaker(CheckpointSettings settings)
    {
        var config = _request.Config;
        var augment = new AugmentationPipeline(AugmentationOptions.FromConfiguration(config));
        bool detector = _net is IInstanceDetector;
        ITrainingTargets targets = detector ? new DetectorTargets() : HeadTargets.Create(_net.Heads, config, weighted: _loss.UsesWeightMap);
        return new BatchMaker(_mix.Items, augment, CheckpointModels.NormalizationOf(settings), targets, _opt.BatchSize, _opt.Seed, keepLabels: detector);
    }

    /// <summary>OUT/log.csv without the epochs after the one resumed from (a killed run's, which this run redoes), and its rows.</summary>
    TrainingCsvLog OpenLog(RunFolder folder, out List<EpochRecord> history)
    {
        var log = new TrainingCsvLog(folder.CsvLog);
        log.KeepUpTo(_state.Epoch);
        history = log.Read().ToList();
        return log;
    }

    void WriteConfiguration(RunFolder folder)
    {
        string configText = _request.Config.ToIni();
        AtomicFile.WriteAllText(folder.PathOf("config.ini"), configText);
        _observer.Info(configText);
        _observer.Info(FormattableString.Invariant($"Model {_opt.ModelName}: {_net.ParameterCount() / 1e6:0.00} M parameters, heads {string.Join(", ", _net.Heads)}; {(_bf16 is null ? "float32" : "bfloat16")} forward and backward; {_stepsPerEpoch} steps of {_opt.BatchSize} crops of {_opt.CropSize}² per epoch; validation on {_validator.Count} images"));
    }

    /// <summary>Trains to n_epoch (or the request's stop, or the time budget), validating and checkpointing on the way.</summary>
    public TrainingResult Train()
    {
        _observer.Info("Training started...");
        int lastEpoch = _request.StopAfterEpochs is int k ? Math.Min(_opt.Epochs, _state.Epoch + k) : _opt.Epochs;
        for (int epoch = _state.Epoch + 1; epoch <= lastEpoch; epoch++)
        {
            if (_budget.SpentAt(_state.ElapsedSeconds)) break;   // a resumed run whose budget is spent
            var progress = TrainEpoch(epoch);
            if (progress.BudgetSpent) lastEpoch = epoch;
            FinishEpoch(progress, isLast: epoch == lastEpoch);
        }
        _observer.Info("Training finished...");
        if (_guard.Skipped > 0) _observer.Warning($"{_guard.Skipped} step(s) skipped for a non-finite loss or gradient (see the warnings above)");
        RequireUsableModel();
        if (_opt.InitFrom.Length > 0 && _valid.Count > 0 && _checkpoints.Best is string best)
            FineTuneRetuning.Run(best, _validSamples, _request, _observer);
        return new TrainingResult(_state.Epoch, _checkpoints.Current, _checkpoints.Best, _state.BestMeanAp, _history) { SkippedSteps = _guard.Skipped };
    }

    const int TrainingCheckImages = 8;

    /// <summary>
    /// A run whose weights are not finite, or whose validation never rose above 0, failed: it did not train a model.
    /// Without validation images the last model is scored on a few of its own training images instead: one that finds
    /// no nucleus even there is as dead.
    /// </summary>
    void RequireUsableModel()
    {
        if (!FiniteStepGuard.WeightsAreFinite(_net))
            throw new TrainingFailedException($"training failed: the weights are not finite after epoch {_state.Epoch}; do not use {_checkpoints.Current}");
        if (!_opt.FailIfUnlearned) return;
        bool validated = _history.Any(e => e.ValidKindMeanAp is not null);
        if (validated && !(_state.BestMeanAp > 0))
            throw new TrainingFailedException($"training failed: the validation score never rose above 0 in {_state.Epoch} epoch(s), so {_checkpoints.Best ?? "best.nck"} finds no nuclei; train longer, or check the learning rate and the labels");
        if (!validated && _trainingCheck.Count > 0 && !(_trainingCheck.Score(_net, _observer.Warning).Balanced > 0))
            throw new TrainingFailedException($"training failed: with no validation images the model was scored on {_trainingCheck.Count} of its training images, and after {_state.Epoch} epoch(s) it finds none of their nuclei; do not use {_checkpoints.Best ?? _checkpoints.Current}; train longer, or check the learning rate and the labels ([train] fail_if_unlearned = False keeps such a run, e.g. a smoke test)");
    }

    /// <summary>The training steps of one epoch (all of them, or up to the update that spends the time budget).</summary>
    EpochProgress TrainEpoch(int epoch)
    {
        var progress = new EpochProgress(epoch, _state.Step);
        torch.manual_seed(SeedMix.Of(_opt.Seed, epoch, 0x70C4));   // dropout draws depend only on (seed, epoch)
        var order = _mix.Order(epoch);
        progress.LearningRate = RateAt(progress);
        using var queue = new OrderedBatchQueue<TrainingBatch>(_stepsPerEpoch, i => _maker.Make(order, epoch, i), _opt.Workers, _opt.QueueSize);
        _optimizer.ZeroGrad();
        for (int i = 0; i < _stepsPerEpoch && !progress.BudgetSpent; i++)
        {
            using var gate = FinalizerGate.Enter();      // see FinalizerGate: no finalizer may free a Scalar mid-call
            Step(queue, progress, i);
        }
        progress.StepsFinished(queue.WaitSeconds);
        return progress;
    }

    /// <summary>
    /// Step <paramref name="i"/>: forward and backward on the next batch, an optimizer update every `accumulate` steps.
    /// A non-finite loss or gradient never reaches the weights (<see cref="FiniteStepGuard"/>).
    /// </summary>
    void Step(OrderedBatchQueue<TrainingBatch> queue, EpochProgress progress, int i)
    {
        var clock = Stopwatch.StartNew();
        double waitBefore = queue.WaitSeconds;
        var batch = queue.Take();
        if (_request.BatchFault is { } fault) batch = fault(progress.Epoch, i, batch);
        double io = queue.WaitSeconds - waitBefore;
        var (loss, iou) = ForwardBackward(batch, progress.Epoch, i);
        progress.ImagesSinceUpdate.AddRange(batch.ImageIds);
        if (double.IsFinite(loss))
        {
            progress.BatchesSinceUpdate++;
            progress.Loss.Add(loss);
            if (double.IsFinite(iou)) progress.Iou.Add(iou);   // detectors have no dense map to score: no IoU
        }
        bool update = (i + 1) % _opt.Accumulate == 0 || i == _stepsPerEpoch - 1;
        if (update) Update(progress, i);
        _recorders.StepDone(new StepReport(progress.Epoch, i, _stepsPerEpoch, clock.Elapsed.TotalSeconds, io, loss, progress.Loss.Mean, iou, progress.Iou.Mean), progress.Updates);
        progress.StepsDone = i + 1;
        if (update && _budget.SpentAt(_state.ElapsedSeconds + progress.Clock.Elapsed.TotalSeconds))
        {
            _budgetCheck.AtBudgetEnd(progress.Updates - _updatesAtStart, _state.ElapsedSeconds + progress.Clock.Elapsed.TotalSeconds);
            progress.BudgetSpent = true;
            _observer.Info(FormattableString.Invariant($"Time budget of {_opt.TimeBudgetMinutes} minutes spent: last epoch"));
        }
        else if (update) _budgetCheck.After(progress.Updates - _updatesAtStart, _state.ElapsedSeconds + progress.Clock.Elapsed.TotalSeconds);
    }

    /// <summary>An optimizer update with the gradients summed since the last one, unless they are not finite.</summary>
    void Update(EpochProgress progress, int i)
    {
        var images = progress.ImagesSinceUpdate.ToArray();
        progress.ImagesSinceUpdate.Clear();
        int contributing = progress.BatchesSinceUpdate;
        progress.BatchesSinceUpdate = 0;
        if (contributing == 0) return;    // every batch since the last update was skipped: no gradient to apply
        if (!_guard.GradientsAreFinite())
        {
            _optimizer.ZeroGrad();
            _guard.Skip(progress.Epoch, i, "the gradient", images);
            return;
        }
        progress.LearningRate = RateAt(progress);
        _optimizer.Step(progress.LearningRate);
        progress.Updates++;
    }

    /// <summary>The learning rate at the current position in the run.</summary>
    double RateAt(EpochProgress progress) =>
        _schedule.RateAtEpoch(_budget.Position(_state.ElapsedSeconds + progress.Clock.Elapsed.TotalSeconds, progress.Updates, _updatesPerEpoch), _state.PlateauFactor);

    /// <summary>
    /// Loss and semantic IoU of one batch; the gradients (divided by `accumulate`) are added to the parameters'. A
    /// non-finite loss gets no backward pass: the step is skipped (NaN is returned) and the guard says what was not finite.
    /// </summary>
    (double Loss, double Iou) ForwardBackward(TrainingBatch batch, int epoch, int step)
    {
        if (_net is IInstanceDetector detector) return DetectorForwardBackward(detector, batch, epoch, step);
        using var scope = NewDisposeScope();
        _guard.Remember();
        var targetShape = new long[] { batch.Count, batch.Heads, batch.Height, batch.Width };
        var x = tensor(batch.Images, new long[] { batch.Count, batch.Channels, batch.Height, batch.Width });
        var y = tensor(batch.Targets, targetShape);
        var w = batch.Weights is null ? null : tensor(batch.Weights, targetShape);
        var logits = _bf16 is null ? _net.forward(x) : _bf16.Forward(x);
        var (l, perHead) = _loss.ComputeByHead(logits, y, w);
        double lossValue = l.item<float>();
        if (!double.IsFinite(lossValue))
        {
            _guard.Skip(epoch, step, NonFiniteLoss.Describe(_net.Heads, perHead, x, y, w, logits), batch.ImageIds);
            return (double.NaN, double.NaN);
        }
        (_opt.Accumulate > 1 ? l / _opt.Accumulate : l).backward();
        _bf16?.TakeGradients();
        return (lossValue, SemanticIou(logits, y));
    }

    /// <summary>
    /// A detector's step: its summed loss against the nuclei of each crop's augmented label map, backward unless it is not
    /// finite (as <see cref="ForwardBackward"/>). It has no dense map to score, so the step's IoU is NaN.
    /// </summary>
    (double Loss, double Iou) DetectorForwardBackward(IInstanceDetector detector, TrainingBatch batch, int epoch, int step)
    {
        using var scope = NewDisposeScope();
        _guard.Remember();
        var x = tensor(batch.Images, new long[] { batch.Count, batch.Channels, batch.Height, batch.Width });
        var targets = batch.Labels!.Select(InstanceTargets.FromLabels).ToList();
        var l = detector.Loss(x, targets);
        double lossValue = l.item<float>();
        if (!double.IsFinite(lossValue))
        {
            _guard.Skip(epoch, step, "the detector's loss", batch.ImageIds);
            return (double.NaN, double.NaN);
        }
        (_opt.Accumulate > 1 ? l / _opt.Accumulate : l).backward();
        return (lossValue, double.NaN);
    }

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

    /// <summary>After the steps of an epoch: the trainer's state, validation when due, the epoch's record, checkpoints.</summary>
    void FinishEpoch(EpochProgress p, bool isLast)
    {
        _state = _state with { Epoch = p.Epoch, Step = p.Updates, ElapsedSeconds = _state.ElapsedSeconds + p.Seconds };
        bool due = p.Epoch % _opt.ValidateEvery == 0 || p.Epoch == _opt.Epochs || p.BudgetSpent;
        var (score, improved) = due && _validator.Count > 0 ? Validate(p.Epoch) : (null, false);
        var record = new EpochRecord(p.Epoch, p.Updates, _state.ElapsedSeconds, p.Seconds, p.LearningRate, p.Loss.Mean, p.Iou.Mean,
            p.StepsDone * _opt.BatchSize / p.Seconds, p.InputWaitSeconds / p.Seconds, score?.Balanced, score?.PixelIou);
        _history.Add(record);
        _recorders.EpochDone(record, _history);
        SaveCheckpoints(p.Epoch, score, improved, isLast);
    }

    /// <summary>Scores the network, updates the best score (checkpoint selection by <see cref="ValidationScore.Balanced"/>) and the plateau state.</summary>
    (ValidationScore? Score, bool Improved) Validate(int epoch)
    {
        var clock = Stopwatch.StartNew();
        var score = _validator.Score(_net, _observer.Warning);
        _recorders.ValidationDone(new ValidationReport(epoch, _state.Step, score, _validator.Count, clock.Elapsed.TotalSeconds));
        double ap = score.Balanced;
        bool improved = !double.IsNaN(ap) && (_state.BestMeanAp is not double b || ap > b);
        _state = improved ? _state with { BestMeanAp = ap, BestEpoch = epoch, ValidationsWithoutImprovement = 0 } : NotImproved(_state);
        _state = _state with { ElapsedSeconds = _state.ElapsedSeconds + clock.Elapsed.TotalSeconds };   // the budget counts wall time
        return (score, improved);
    }

    /// <summary>One more validation without improvement; with the plateau schedule, patience spent lowers the learning rate.</summary>
    TrainerState NotImproved(TrainerState state)
    {
        int bad = state.ValidationsWithoutImprovement + 1;
        double factor = state.PlateauFactor;
        if (_opt.Schedule == "plateau" && bad >= _opt.PlateauPatience)
        {
            factor *= _opt.PlateauFactor;
            bad = 0;
            _observer.Info($"Validation plateau: learning rate × {_opt.PlateauFactor}");
        }
        return state with { ValidationsWithoutImprovement = bad, PlateauFactor = factor };
    }

    /// <summary>`best` when this epoch's validation improved on the best; a resumable checkpoint every n_ckpt_epoch epochs and at the end.</summary>
    void SaveCheckpoints(int epoch, ValidationScore? score, bool improved, bool isLast)
    {
        var info = new CheckpointInfo
        {
            Configuration = SavedConfiguration.Pairs(_request.Config),
            Epoch = epoch,
            Step = _state.Step,
            ValidationScore = score?.Balanced,
            ValidationByKind = score?.ByKind,
            MedianDiameter = _medianDiameter,
        };
        // Without validation images there is nothing to choose by: best is the last epoch's weights.
        if (improved || (isLast && _validator.Count == 0)) _checkpoints.SaveBest(info);
        if (epoch % _opt.CheckpointEvery == 0 || isLast) _checkpoints.SaveResumable(info, _state);
    }

    /// <summary>Disposes what the run created, last created first: outputs, optimizer, network.</summary>
    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
    }
}
