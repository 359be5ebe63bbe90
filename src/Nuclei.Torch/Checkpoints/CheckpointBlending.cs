using System.Globalization;
using System.Security.Cryptography;
using Nuclei.Core;
using Nuclei.Core.Settings;
using TorchSharp;

namespace Nuclei.Torch.Checkpoints;

/// <summary>
/// One checkpoint whose weights lie on the straight line between two of the same network: (1 − w)·first + w·second,
/// batch-norm statistics included. Fine-tuning a model on new data (say, stained synthetic views) and blending it
/// with the model it started from keeps much of what each knows at one model's cost: the weight-space ensembles of
/// Wortsman et al., "Robust fine-tuning of zero-shot models" (WiSE-FT, CVPR 2022), and "Model soups" (ICML 2022).
/// Only checkpoints of one architecture with one set of options can be blended; two models trained apart from
/// different starting weights average into nonsense, which no check here can see: tune and evaluate the blend.
/// </summary>
internal static class CheckpointBlending
{
    /// <summary>
    /// Writes the blend of <paramref name="firstPath"/> and <paramref name="secondPath"/> atomically to
    /// <paramref name="outPath"/>: the first checkpoint's configuration (its post-processing thresholds, to be re-tuned),
    /// training diameter and adaptations; no evaluation, validation score or training state, since none of them
    /// describes the blend.
    /// </summary>
    /// <param name="weight">the second checkpoint's share, 0..1</param>
    /// <exception cref="NucleiInputException">A checkpoint cannot be read, or the two are not the same network.</exception>
    public static BlendRecord Blend(string firstPath, string secondPath, double weight, string outPath)
    {
        if (!(weight is >= 0 and <= 1))
            throw new NucleiInputException(null, $"{Setting.BlendWeight} (the second checkpoint's share) must be within 0..1, got {weight.ToString(CultureInfo.InvariantCulture)}");
        foreach (var input in new[] { firstPath, secondPath })
            if (Path.GetFullPath(outPath) == Path.GetFullPath(input))
                throw new NucleiInputException(outPath, $"{Setting.BlendedOut} must not be an input checkpoint (inputs are never overwritten)");
        var first = Checkpoint.Load(firstPath);
        using var firstNet = first.Net;
        var second = Checkpoint.Load(secondPath);
        using var secondNet = second.Net;
        RequireSameNetwork(first, second, secondPath);
        Interpolate(first, second, weight, secondPath);
        var record = new BlendRecord(DateTime.UtcNow, Path.GetFileName(firstPath), DigestOf(firstPath), Path.GetFileName(secondPath), DigestOf(secondPath), weight);
        Checkpoint.Save(outPath, first.Net, first.Info with
        {
            Evaluation = null, ValidationScore = null, ValidationByKind = null,
            OptimizerState = null, RandomState = null, SavedUtc = default, Blend = record,
        });
        return record;
    }

    private static void RequireSameNetwork(LoadedCheckpoint first, LoadedCheckpoint second, string secondPath)
    {
        if (first.ModelName != second.ModelName || first.Options != second.Options)
            throw new NucleiInputException(secondPath,
                $"cannot be blended with {Path.GetFileName(first.Path)}: it is model '{second.ModelName}' ({second.Options}), the other '{first.ModelName}' ({first.Options})");
    }

    /// <summary>
    /// Every floating-point tensor of the first network's state becomes (1 − w)·first + w·second in place; integer
    /// buffers (batch-norm step counters) keep the first's values.
    /// </summary>
    private static void Interpolate(LoadedCheckpoint first, LoadedCheckpoint second, double weight, string secondPath)
    {
        var mine = first.Net.state_dict();
        var theirs = second.Net.state_dict();
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in mine)
        {
            if (!theirs.TryGetValue(name, out var other) || !other.shape.SequenceEqual(tensor.shape))
                throw new NucleiInputException(secondPath, $"cannot be blended with {Path.GetFileName(first.Path)}: its weights differ at '{name}'");
            if (!tensor.is_floating_point()) continue;
            tensor.mul_(1 - weight).add_(other, alpha: weight);
        }
    }

    private static string DigestOf(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream))[..16].ToLowerInvariant();
    }
}
