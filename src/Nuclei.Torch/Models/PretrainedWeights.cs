using Nuclei.Core;
using TorchSharp;

namespace Nuclei.Torch.Models;

/// <summary>
/// Loads ImageNet weights into an encoder from a file a user supplies: torchvision's state dict exported in
/// TorchSharp's format (e.g. with TorchSharp's exportsd.py: <c>exportsd.save_state_dict(resnet34(pretrained=True).state_dict(), f)</c>).
/// The encoders name their parameters as torchvision does; keys the encoder lacks (e.g. the classifier "fc.*") are skipped.
/// </summary>
internal static class PretrainedWeights
{
    /// <summary>Loads <paramref name="path"/> into <paramref name="encoder"/>; returns how many tensors were loaded.</summary>
    public static int LoadInto(FeatureEncoder encoder, string path)
    {
        if (!File.Exists(path)) throw new NucleiInputException(path, "pretrained weights file not found");
        var loaded = new Dictionary<string, bool>();
        try
        {
            encoder.load(path, strict: false, loadedParameters: loaded);
        }
        catch (Exception e) when (e is not NucleiInputException)
        {
            throw new NucleiInputException(path, $"cannot load pretrained weights into {encoder.GetName()}: {e.Message}", e);
        }
        int count = loaded.Count(kv => kv.Value);
        if (count == 0) throw new NucleiInputException(path, $"no tensor in the file matches {encoder.GetName()}'s parameter names (expected torchvision's)");
        return count;
    }
}
