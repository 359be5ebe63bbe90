using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Torch.Runtime;

namespace Nuclei.Torch.Models;

/// <summary>
/// Builds networks by name (samuelschen/DSB2018's build_model), so a checkpoint needs only a name and <see cref="ModelOptions"/>.
/// A name may end in an encoder suffix ("camunet_resnet34"), which overrides <see cref="ModelOptions.Encoder"/>.
/// </summary>
internal static class ModelRegistry
{
    private static readonly HeadKind[] S = [HeadKind.Semantic];
    private static readonly HeadKind[] SC = [HeadKind.Semantic, HeadKind.Contour];
    private static readonly HeadKind[] SCM = [HeadKind.Semantic, HeadKind.Contour, HeadKind.Marker];

    /// <param name="OwnEncoder">the encoder it is built with whatever <see cref="ModelOptions.Encoder"/> says, in words
    /// (null: it takes any encoder of <see cref="EncoderFactory"/>, also as a name suffix)</param>
    /// <param name="Defaults">its options when the configuration has no section for it</param>
    private sealed record Entry(string Name, HeadKind[] Heads, string Description, Func<string, ModelOptions, SegmentationNet> Build,
        string? OwnEncoder = null, ModelOptions? Defaults = null);

    private static readonly Entry[] Entries =
    [
        new("unet", S, "U-Net, semantic head (samuelschen/DSB2018)", (n, o) => UNet(n, S, o, dilated: false, shared: false)),
        new("dunet", S, "U-Net with dilated deep levels and a dilated-cascade bottleneck", (n, o) => UNet(n, S, o, dilated: true, shared: false), "plain, dilated"),
        new("caunet", SC, "contour-aware U-Net: semantic + contour, one decoder per head (samuelschen/DSB2018)", (n, o) => UNet(n, SC, o, dilated: false, shared: false)),
        new("camunet", SCM, "contour-aware marker U-Net: semantic + contour + marker, one decoder per head (samuelschen/DSB2018)", (n, o) => UNet(n, SCM, o, dilated: false, shared: false)),
        new("scamunet", SCM, "camunet with one decoder shared by the three heads", (n, o) => UNet(n, SCM, o, dilated: false, shared: true)),
        new("camdunet", SCM, "camunet with the dilated encoder of dunet", (n, o) => UNet(n, SCM, o, dilated: true, shared: false), "plain, dilated"),
        new("camunet_lite", SCM, "camunet with a cheap full-resolution part: 8-channel stem, pixel unshuffle, U-Net from half resolution", (n, o) => Lite(n, SCM, o), "lite"),
        new("caunet_lite", SC, "caunet with the cheap full-resolution part of camunet_lite", (n, o) => Lite(n, SC, o), "lite"),
        new("dcan", SC, "DCAN (Chen et al. 2016): multi-level upsampled classifiers fused per head, semantic + contour", (n, o) => new Dcan(n, SC, o), "plain"),
        new("maskrcnn_resnet18_fpn", S, "Mask R-CNN (He et al. 2017) with FPN on ML.NET's ImageNet ResNet-18: a detector, nuclei as boxes and masks",
            (n, o) => new MaskRcnn(n, o, MlNetResNet18.CreateEncoder(o.InChannels, stages: 4), "resnet18_imagenet"), "resnet18_imagenet"),
        new("maskrcnn_resnet34_fpn", S, "Mask R-CNN with FPN on a ResNet-34 trained from scratch", (n, o) => new MaskRcnn(n, o, new ResNetEncoder(34, o.InChannels), "resnet34"), "resnet34"),
    ];

    /// <summary>Base architecture names (an encoder suffix such as "_resnet18_imagenet" may be appended; see <see cref="EncoderFactory"/>).</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToArray();

    /// <summary>One-line description of a base architecture.</summary>
    public static string Describe(string name) => Find(SplitName(name).Arch)?.Description ?? "";

    /// <summary>Heads of the named architecture (without building it).</summary>
    public static IReadOnlyList<HeadKind> HeadsOf(string name) =>
        (Find(SplitName(name).Arch) ?? throw Unknown(name, null)).Heads;

    /// <summary>The encoder named by a suffix ("camunet_resnet18_imagenet" → "resnet18_imagenet"), or null.</summary>
    public static string? EncoderSuffixOf(string name) => SplitName(name).Encoder;

    /// <summary>
    /// Whether the named architecture takes an encoder of <see cref="EncoderFactory"/> (as a suffix or
    /// <see cref="ModelOptions.Encoder"/>); false for one with its own encoder, or an unknown name.
    /// </summary>
    public static bool TakesEncoder(string name) => Find(SplitName(name).Arch) is { OwnEncoder: null };

    /// <summary>The options of the named architecture when nothing sets them (the configuration has no section for it).</summary>
    public static ModelOptions DefaultOptionsOf(string name) =>
        (Find(SplitName(name).Arch) ?? throw Unknown(name, null)).Defaults ?? new ModelOptions();

    /// <summary>Whether the named architecture is a detector (<see cref="IInstanceDetector"/>), which takes no encoder or U-Net options.</summary>
    public static bool IsDetector(string name) => SplitName(name).Arch.StartsWith("maskrcnn_", StringComparison.Ordinal);

    public static bool IsKnown(string name)
    {
        var (arch, _) = SplitName(name);
        return Find(arch) is not null;
    }

    /// <summary>Builds the network; throws <see cref="NucleiInputException"/> (naming <paramref name="source"/>) for an unknown name or bad options.</summary>
    public static SegmentationNet Create(string name, ModelOptions? options = null, string? source = null)
    {
        var (arch, encoder) = SplitName(name);
        var entry = Find(arch) ?? throw Unknown(name, source);
        options ??= entry.Defaults ?? new ModelOptions();
        if (encoder is not null) options = options with { Encoder = encoder };
        options.Validate(source);
        // The default encoder stands for "none chosen", so an architecture with its own encoder accepts it.
        if (entry.OwnEncoder is { } own && options.Encoder != new ModelOptions().Encoder)
            throw new NucleiInputException(source, $"{arch} has its own ({own}) encoder; it cannot take '{options.Encoder}'");
        using var gate = FinalizerGate.Enter();   // see FinalizerGate: no finalizer may free a Scalar mid-call (initialisers take Scalars)
        return entry.Build(name, options);
    }

    private static Entry? Find(string arch) => Entries.FirstOrDefault(e => e.Name == arch);

    private static NucleiInputException Unknown(string name, string? source) =>
        new(source, FormerArchitectures.Equivalent(name) is { } now
            ? $"'{UntrustedText.Clean(name)}' is the original DSB2018 toolkit's name; here: {now}"
            : $"unknown model '{UntrustedText.Clean(name)}' (known: {string.Join(", ", Names)}, optionally with an encoder suffix such as _resnet34)");

    private static (string Arch, string? Encoder) SplitName(string name)
    {
        name = name.Trim().ToLowerInvariant();
        // Longest first: "camunet_resnet18_imagenet" is camunet with resnet18_imagenet, not "camunet_resnet18" with imagenet.
        foreach (var enc in ModelOptions.Encoders.OrderByDescending(e => e.Length))
            if (name.EndsWith("_" + enc)) return (name[..^(enc.Length + 1)], enc);
        return (name, null);
    }

    private static SegmentationNet Lite(string name, HeadKind[] heads, ModelOptions o)
    {
        if (o.Depth < 2) throw new NucleiInputException(null, $"{name} needs a depth of at least 2");
        var encoder = new LiteEncoder(o);
        return new MultiHeadUNet(name, heads, o, encoder, encoder.DecoderWidths(), sharedDecoder: false);
    }

    private static SegmentationNet UNet(string name, HeadKind[] heads, ModelOptions o, bool dilated, bool shared)
    {
        var encoder = EncoderFactory.Create(o, dilated);
        var widths = UNetDecoder.DefaultWidths(o, encoder.Levels);
        return new MultiHeadUNet(name, heads, o, encoder, widths, shared);
    }
}
