using System.Globalization;
using Nuclei.Core;
using Nuclei.Core.Augmentation;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Models;
using Nuclei.Torch.Models.Detection;
using Nuclei.Torch.Runtime;
using static TorchSharp.torch;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Loads checkpoints as <see cref="InferenceModel"/>s: the network (eval mode), its heads, and the input
/// normalisation and training width read from the configuration saved with it.
/// </summary>
internal static class CheckpointModels
{
    /// <summary>One checkpoint as a model; throws <see cref="NucleiInputException"/> naming the file when it does not load.</summary>
    /// <param name="precision">the number format the network computes in (<see cref="InferenceNetwork.Prepare"/>)</param>
    /// <param name="runtime">what computes the forward pass (<see cref="NetworkRuntimes"/>); the rest of prediction is the same</param>
    /// <param name="device">where the runtime computes (<see cref="InferenceDevices"/>); auto falls back to the CPU, noted in <see cref="InferenceModel.DeviceFallback"/></param>
    public static InferenceModel Load(string path, float weight = 1f, ComputePrecision precision = ComputePrecisions.Default,
        NetworkRuntime runtime = NetworkRuntimes.Default, InferenceDevice device = InferenceDevices.Default)
    {
        LoadedCheckpoint loaded;
        try
        {
            loaded = Checkpoint.Load(path);
        }
        catch (NucleiInputException) { throw; }
        catch (Exception e)
        {
            throw new NucleiInputException(path, $"checkpoint does not load: {UntrustedText.Clean(e.Message, 300)}", e);
        }
        loaded.Net.eval();
        PreparedNetwork prepared;
        try
        {
            prepared = loaded.Net is IInstanceDetector   // this network is never trained nor saved
                ? DetectorNetwork.Prepare(loaded.Net, precision, runtime, device)
                : NetworkRuntimes.Of(runtime).Prepare(loaded.Net, precision, device);
        }
        catch (Exception e)
        {
            loaded.Net.Dispose();
            if (e is NucleiInputException { InputPath: null } refused) throw new NucleiInputException(path, refused.ProblemMessage, e);
            throw;
        }
        var model = FromNetwork(loaded.Net, new CheckpointSettings(loaded.Info.Configuration, path), loaded.Path, ownsNetwork: true,
            loaded.Info.MedianDiameter, prepared.Forward, prepared.Resources);
        model.Weight = weight;
        model.Precision = prepared.Precision;
        model.Runtime = runtime;
        model.Device = prepared.Device;
        model.DeviceFallback = prepared.DeviceFallback;
        return model;
    }

    /// <summary>
    /// The models behind <c>--model</c> arguments, checkpoints or ensemble descriptions (expanded by
    /// <see cref="ModelReference.Expand"/>), with one weight per argument; all are loaded, or none (the loaded are disposed).
    /// </summary>
    public static List<InferenceModel> LoadAll(IReadOnlyList<string> paths, IReadOnlyList<float>? weights = null,
        ComputePrecision precision = ComputePrecisions.Default, NetworkRuntime runtime = NetworkRuntimes.Default,
        InferenceDevice device = InferenceDevices.Default)
    {
        var loaded = new List<InferenceModel>();
        try
        {
            foreach (var member in ModelReference.Expand(paths, weights)) loaded.Add(Load(member.Path, member.Weight, precision, runtime, device));
            return loaded;
        }
        catch
        {
            foreach (var m in loaded) m.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A network as a model, prepared as <paramref name="settings"/> (its training configuration) say: the one way both
    /// a loaded checkpoint and the network being trained (validation) become an <see cref="InferenceModel"/>.
    /// The caller puts the network in eval mode.
    /// </summary>
    /// <param name="forward">the forward pass to use instead of the network's own (e.g. <see cref="InferenceNetwork.Prepare"/>'s)</param>
    /// <param name="forwardResources">what <paramref name="forward"/> holds besides the network (an ONNX Runtime session): the model disposes it</param>
    public static InferenceModel FromNetwork(SegmentationNet net, CheckpointSettings settings, string source, bool ownsNetwork,
        double? medianDiameter = null, Func<Tensor, Tensor>? forward = null, IDisposable? forwardResources = null)
    {
        int multiple = net.SizeMultiple;
        int width = settings.GetInt("param", "width", min: 1, max: 8192);
        int trainingSize = Math.Max(multiple, (width + multiple - 1) / multiple * multiple);
        var normalization = NormalizationOf(settings);
        var heads = net.Heads.Select(h => h.ToString().ToLowerInvariant()).ToArray();
        var detector = net as IInstanceDetector;
        detector?.Configure(MaskRcnnSettings.From(settings));
        return new InferenceModel(OneDnnConvolutions.Guarded(forward ?? (x => net.forward(x)), OneDnnConvolutions.ExposedLayers(net)), heads, net.Options.InChannels, multiple, trainingSize,
            normalization.ToPlanar, source, owned: new Owned(ownsNetwork ? net : null, forwardResources))
        { MedianDiameter = medianDiameter, Normalization = normalization, Detector = detector };
    }

    /// <summary>The network (when the model owns it) and its runtime's resources, disposed together.</summary>
    private sealed record Owned(IDisposable? Network, IDisposable? Resources) : IDisposable
    {
        public void Dispose()
        {
            Resources?.Dispose();
            Network?.Dispose();
        }
    }

    /// <summary>Training's input normalisation, from the [pre] section (defaults of config/default.ini).</summary>
    public static Normalization NormalizationOf(CheckpointSettings s)
    {
        string mode = s.GetChoice("pre", "normalize", "channel", "percentile");
        double low = s.GetDouble("pre", "percentile_low", min: 0, max: 100);
        double high = s.GetDouble("pre", "percentile_high", min: 0, max: 100);
        if (!(low < high)) throw s.Bad("pre", "percentile_high", $"a percentile above percentile_low ({low.ToString(CultureInfo.InvariantCulture)})");
        return new Normalization(
            s.GetDoubles("pre", "mean", min: -1e6, max: 1e6),
            s.GetDoubles("pre", "std", min: 1e-6, max: 1e6), // a zero std would divide by zero
            PerImagePercentile: mode == "percentile",
            PercentileLow: low,
            PercentileHigh: high,
            Grey: s.GetBool("pre", "grey_input"));
    }

    /// <summary>Post-processing settings saved with a checkpoint (head thresholds in [param], the [post] section), over config/default.ini's.</summary>
    public static PartitionOptions PartitionOptionsOf(CheckpointSettings s) =>
        CheckpointPostProcessing.Of(s).Over(PostProcessingText.Defaults).ToPartitionOptions();

    /// <summary>The configuration saved with a checkpoint (without building its network); for an ensemble description, its first member's.</summary>
    public static CheckpointSettings SettingsOf(string path)
    {
        string checkpoint = ModelReference.Expand([path])[0].Path;
        return new(Checkpoint.ReadInfo(checkpoint).Info.Configuration, checkpoint);
    }
}
