using Nuclei.Core;
using Nuclei.Core.Settings;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Models;
using TorchSharp;

namespace Nuclei.Torch.Training;

/// <summary>
/// Where a run starts: the network, the trainer's state and the optimizer's saved state, either from the checkpoint
/// OUT/current.json names (resume) or new (seeded weights, ImageNet encoder weights when configured).
/// The network is disposed here if the start fails; otherwise the run takes it over.
/// </summary>
internal sealed record TrainingStart(SegmentationNet Net, TrainerState State, byte[]? OptimizerState, string? ResumedFrom)
{
    /// <summary>The training diameter recorded in the checkpoint started from (resume or init_from); null for new weights.</summary>
    public double? MedianDiameter { get; init; }

    public static TrainingStart Open(TrainingRequest request, TrainingOptions opt, RunFolder folder, ITrainingObserver observer)
    {
        string? resumeFrom = request.Resume == ResumeMode.Fresh ? null : CheckpointPointer.Read(folder.Dir);
        if (request.Resume == ResumeMode.Resume && resumeFrom is null)
            throw new NucleiInputException(folder.Dir, "--resume given but there is no checkpoint to resume (no current.json)");
        var start = resumeFrom is null ? New(opt, observer) : Resume(resumeFrom, opt, observer);
        return DisposeOnFailure(start.Net, () =>
        {
            if (opt.CropSize % start.Net.SizeMultiple != 0)
                throw new NucleiInputException("configuration", $"[param] width = {opt.CropSize} is not a multiple of {start.Net.SizeMultiple}, which {opt.ModelName} needs");
            return start;
        });
    }

    static TrainingStart Resume(string path, TrainingOptions opt, ITrainingObserver observer)
    {
        var loaded = Checkpoint.Load(path);
        var state = DisposeOnFailure(loaded.Net, () =>
        {
            RequireConfiguredModel(loaded, opt, path, "", "; use --overwrite or another --out");
            return loaded.Info.RandomState is byte[] rs ? TrainerState.FromBytes(rs) : throw new NucleiInputException(path, "checkpoint has no trainer state to resume from");
        });
        observer.Info($"Loading checkpoint '{path}' (epoch {state.Epoch})");
        return new TrainingStart(loaded.Net, state, loaded.Info.OptimizerState, path) { MedianDiameter = loaded.Info.MedianDiameter };
    }

    static TrainingStart New(TrainingOptions opt, ITrainingObserver observer)
    {
        torch.manual_seed(opt.Seed);
        if (opt.InitFrom.Length > 0) return FineTune(opt, observer);
        RequireWeightsIfPretrained(opt);
        var net = ModelRegistry.Create(opt.ModelName, opt.ModelOptions, "configuration");
        observer.Info("Grand new training ...");
        return DisposeOnFailure(net, () =>
        {
            var (encoderName, encoder) = net switch
            {
                MultiHeadUNet u => (opt.ModelOptions.Encoder, u.Encoder),
                MaskRcnn m => (m.EncoderName, m.Encoder),
                _ => ("", null),
            };
            if (opt.Pretrained && encoder is not null && EncoderFactory.HasImageNetWeights(encoderName))
                observer.Info($"Encoder {encoderName}: {EncoderFactory.LoadImageNetWeights(encoderName, encoder)} ImageNet tensors loaded");
            return new TrainingStart(net, new TrainerState { Seed = opt.Seed }, null, null);
        });
    }

    /// <summary>
    /// [param] pretrained asks for ImageNet weights; an ImageNet-style encoder without them would start from random
    /// weights without a word. The plain encoder is the original toolkit's, trained from scratch by design.
    /// </summary>
    internal static void RequireWeightsIfPretrained(TrainingOptions opt)
    {
        string encoder = opt.ModelOptions.Encoder;
        if (!opt.Pretrained || encoder == "plain" || !EncoderFactory.Names.Contains(encoder) || EncoderFactory.HasImageNetWeights(encoder)) return;
        string withWeights = string.Join(", ", EncoderFactory.Names.Where(EncoderFactory.HasImageNetWeights));
        throw new NucleiInputException("configuration",
            $"{Setting.Pretrained} = True, but encoder '{encoder}' has no ImageNet weights in this build (those that have: {withWeights}); " +
            $"set {Setting.Pretrained}=False to train it from random weights, or choose an encoder with weights");
    }

    /// <summary>A new run (schedule, optimizer and epochs from zero) on the weights of a trained checkpoint.</summary>
    static TrainingStart FineTune(TrainingOptions opt, ITrainingObserver observer)
    {
        var loaded = Checkpoint.Load(opt.InitFrom);
        return DisposeOnFailure(loaded.Net, () =>
        {
            RequireConfiguredModel(loaded, opt, opt.InitFrom, "[train] init_from ", "");
            string diameter = loaded.Info.MedianDiameter is double d ? FormattableString.Invariant($"; its training diameter {d:0.0} px is kept") : "";
            observer.Info($"Fine-tuning: weights from '{opt.InitFrom}' (epoch {loaded.Info.Epoch}){diameter}");
            return new TrainingStart(loaded.Net, new TrainerState { Seed = opt.Seed }, null, null) { MedianDiameter = loaded.Info.MedianDiameter };
        });
    }

    /// <summary>A checkpoint a run continues from or starts on must hold the configured architecture with its options.</summary>
    static void RequireConfiguredModel(LoadedCheckpoint loaded, TrainingOptions opt, string path, string role, string advice)
    {
        if (!string.Equals(loaded.ModelName, opt.ModelName, StringComparison.OrdinalIgnoreCase) || loaded.Options != opt.ModelOptions)
            throw new NucleiInputException(path, $"{role}holds model '{loaded.ModelName}' with other options than the configured '{opt.ModelName}'{advice}");
    }

    static T DisposeOnFailure<T>(SegmentationNet net, Func<T> next)
    {
        try { return next(); }
        catch { net.Dispose(); throw; }
    }
}
