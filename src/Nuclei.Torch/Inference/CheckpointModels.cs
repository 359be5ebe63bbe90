using Nuclei.Core;
using Nuclei.Core.Augmentation;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Models;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Loads checkpoints as <see cref="InferenceModel"/>s: the network (eval mode), its heads, and the input
/// normalisation and training width read from the configuration saved with it.
/// </summary>
public static class CheckpointModels
{
    /// <summary>One checkpoint as a model; throws <see cref="NucleiInputException"/> naming the file when it does not load.</summary>
    public static InferenceModel Load(string path, float weight = 1f)
    {
        if (!File.Exists(path)) throw new NucleiInputException(path, "checkpoint file not found");
        LoadedCheckpoint loaded;
        try
        {
            loaded = Checkpoint.Load(path);
        }
        catch (NucleiInputException) { throw; }
        catch (Exception e)
        {
            throw new NucleiInputException(path, $"checkpoint does not load: {e.Message}", e);
        }
        loaded.Net.eval();
        var model = FromNetwork(loaded.Net, new CheckpointSettings(loaded.Info.Configuration), loaded.Path, ownsNetwork: true,
            loaded.Info.MedianDiameter);
        model.Weight = weight;
        return model;
    }

    /// <summary>
    /// A network as a model, prepared as <paramref name="settings"/> (its training configuration) say: the one way both
    /// a loaded checkpoint and the network being trained (validation) become an <see cref="InferenceModel"/>.
    /// The caller puts the network in eval mode.
    /// </summary>
    public static InferenceModel FromNetwork(SegmentationNet net, CheckpointSettings settings, string source, bool ownsNetwork,
        double? medianDiameter = null)
    {
        int multiple = net.SizeMultiple;
        int width = settings.GetInt("param", "width", 256);
        int trainingSize = Math.Max(multiple, (width + multiple - 1) / multiple * multiple);
        var normalization = NormalizationOf(settings);
        var heads = net.Heads.Select(h => h.ToString().ToLowerInvariant()).ToArray();
        return new InferenceModel(x => net.forward(x), heads, net.Options.InChannels, multiple, trainingSize,
            normalization.ToPlanar, source, owned: ownsNetwork ? net : null) { MedianDiameter = medianDiameter };
    }

    /// <summary>Training's input normalisation, from the [pre] section (defaults of config/default.ini).</summary>
    public static Normalization NormalizationOf(CheckpointSettings s)
    {
        string mode = s.GetString("pre", "normalize", "channel").ToLowerInvariant();
        return new Normalization(
            s.GetDoubles("pre", "mean", new[] { 0.5, 0.5, 0.5 }),
            s.GetDoubles("pre", "std", new[] { 0.5, 0.5, 0.5 }),
            PerImagePercentile: mode == "percentile",
            PercentileLow: s.GetDouble("pre", "percentile_low", 1),
            PercentileHigh: s.GetDouble("pre", "percentile_high", 99.8));
    }

    /// <summary>Post-processing settings saved with a checkpoint: head thresholds ([param]) and the [post] section.</summary>
    public static PartitionOptions PartitionOptionsOf(CheckpointSettings s)
    {
        var o = new PartitionOptions();
        string policyText = s.GetString("post", "policy", "ws");
        if (!SplitPolicyNames.TryParse(policyText, out var policy))
            throw new NucleiInputException("configuration", $"[post] policy = '{policyText}' (expected ws or rw)");
        string markersText = s.GetString("post", "markers", "auto");
        if (!MarkerSourceNames.TryParse(markersText, out var markers))
            throw new NucleiInputException("configuration", $"[post] markers = '{markersText}' (expected auto, marker, contour or peaks)");
        return o with
        {
            Policy = policy,
            MarkerSource = markers,
            ThresholdBody = (float)s.GetDouble("param", "threshold", o.ThresholdBody),
            ThresholdContour = (float)s.GetDouble("param", "threshold_edge", o.ThresholdContour),
            ThresholdMarker = (float)s.GetDouble("param", "threshold_mark", o.ThresholdMarker),
            MinSize = s.GetBool("post", "remove_objects", true) ? s.GetInt("post", "min_object_size", o.MinSize) : 0,
            FillHoles = s.GetBool("post", "fill_holes", o.FillHoles),
        };
    }

    /// <summary>The configuration saved with a checkpoint (without building its network).</summary>
    public static CheckpointSettings SettingsOf(string path) => new(Checkpoint.ReadInfo(path).Info.Configuration);
}
