using Nuclei.Core;

namespace Nuclei.Torch.Models;

/// <summary>
/// Hyper-parameters that, together with a model name, fully determine an architecture (so a checkpoint
/// can rebuild its network from the name and these options alone). Defaults are samuelschen/DSB2018's.
/// </summary>
internal sealed record ModelOptions
{
    /// <summary>Input image channels (3: RGB; gray images are replicated by the data pipeline).</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Width of the full-resolution level; level l has BaseWidth·2^l channels, the bottleneck BaseWidth·2^Depth.</summary>
    public int BaseWidth { get; init; } = 16;

    /// <summary>Number of pooling steps of the plain encoder (4: widths 16, 32, 64, 128 and a 256 bottleneck).</summary>
    public int Depth { get; init; } = 4;

    /// <summary>
    /// Order of one convolution block: a permutation of C (3×3 conv), A (ReLU), B (batch norm).
    /// samuelschen/DSB2018 found "CAB" (conv → activation → batch norm) best. B is skipped when <see cref="BatchNorm"/> is false.
    /// </summary>
    public string BlockOrder { get; init; } = "CAB";

    /// <summary>2-D (channel) dropout probability after the second convolution block of each level; 0 disables it.</summary>
    public double Dropout { get; init; } = 0.2;

    /// <summary>Use batch normalisation in the convolution blocks.</summary>
    public bool BatchNorm { get; init; } = true;

    /// <summary>Encoder: a name of <see cref="EncoderFactory"/> ("plain", samuelschen/DSB2018's; "resnet18_imagenet", with ImageNet weights; …).</summary>
    public string Encoder { get; init; } = "plain";

    public static IReadOnlyList<string> Encoders => EncoderFactory.Names;

    /// <summary>Widest plain level allowed (BaseWidth·2^Depth): the default 16·2^4 = 256; 1024 is the classic U-Net's.</summary>
    public const int MaxWidestLevel = 1024;

    /// <summary>
    /// Throws <see cref="NucleiInputException"/> (naming <paramref name="source"/>) when an option is out of range.
    /// The bounds keep the network to a size that fits in memory, so options read from a hostile checkpoint are
    /// refused before libtorch allocates anything.
    /// </summary>
    public void Validate(string? source = null)
    {
        if (InChannels < 1 || InChannels > 64) throw new NucleiInputException(source, $"model in-channels must be 1..64, got {InChannels}");
        if (BaseWidth < 1 || BaseWidth > 64) throw new NucleiInputException(source, $"model base width must be 1..64, got {BaseWidth}");
        if (Depth < 1 || Depth > 7) throw new NucleiInputException(source, $"model depth must be 1..7, got {Depth}");
        if ((long)BaseWidth << Depth > MaxWidestLevel)
            throw new NucleiInputException(source, $"model base width {BaseWidth} with depth {Depth} gives {(long)BaseWidth << Depth} channels at the deepest level (at most {MaxWidestLevel})");
        if (!(Dropout >= 0 && Dropout < 1)) throw new NucleiInputException(source, $"model dropout must be in [0, 1), got {Dropout}");
        if (Encoder is null || !Encoders.Contains(Encoder))
            throw new NucleiInputException(source, $"unknown encoder '{UntrustedText.Clean(Encoder)}' (known: {string.Join(", ", Encoders)})");
        string order = BlockOrder?.ToUpperInvariant() ?? "";
        bool ok = order.Length == 3 && order.Contains('C') && order.Contains('A') && order.Contains('B');
        if (!ok) throw new NucleiInputException(source, $"block order must be a permutation of C, A, B (e.g. CAB), got '{UntrustedText.Clean(BlockOrder)}'");
    }
}
