using Nuclei.Core;
using Nuclei.Core.Settings;

namespace Nuclei.Torch.Adaptation;

/// <summary>How `nuclei adapt` moves a model towards the user's images.</summary>
internal enum AdaptationMethod
{
    /// <summary>Fine-tuning on the nuclei the model finds confidently and stably (self-training).</summary>
    FineTune,
    /// <summary>Only the batch-norm statistics re-estimated on the images (<see cref="BatchNormRecalibration"/>): seconds, no training.</summary>
    BatchNorm,
    /// <summary>The statistics re-estimated first, then self-training from that model (its pseudo-labels included).</summary>
    Both,
}

/// <summary>The command line's names of <see cref="AdaptationMethod"/>.</summary>
internal static class AdaptationMethods
{
    public static readonly IReadOnlyList<string> Names = ["fine-tune", "batch-norm", "both"];

    public static string NameOf(AdaptationMethod m) => Names[(int)m];

    public static AdaptationMethod Parse(string text)
    {
        int i = Names.ToList().IndexOf(text.Trim().ToLowerInvariant());
        return i >= 0 ? (AdaptationMethod)i
            : throw new NucleiInputException(null, $"{Setting.AdaptMethod} must be one of {string.Join(", ", Names)}, got '{UntrustedText.Clean(text)}'");
    }
}
