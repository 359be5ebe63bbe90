using Nuclei.Core;

namespace Nuclei.Torch.Models;

/// <summary>
/// The encoders, declared once: name, constructor, and where ImageNet weights for it come from. The pretrained-style
/// encoders (ResNet, VGG, DenseNet) have fixed widths and no dropout; BaseWidth, BlockOrder, Dropout and BatchNorm
/// shape the decoder. The "dilated" flag (dunet, camdunet) applies to the plain encoder only.
/// </summary>
internal static class EncoderFactory
{
    private sealed record Entry(string Name, string Description, Func<ModelOptions, bool, FeatureEncoder> Create,
        Func<FeatureEncoder, int>? LoadImageNet);

    private static readonly Entry[] Entries =
    [
        new("plain", "samuelschen/DSB2018's encoder: conv blocks and max-pooling, widths BaseWidth·2^l", (o, dilated) => new PlainEncoder(o, dilated), null),
        new("resnet18", "torchvision ResNet-18 (weights: a torchvision state dict given by the user)", (o, _) => new ResNetEncoder(18, o.InChannels), null),
        new("resnet34", "torchvision ResNet-34 (weights: a torchvision state dict given by the user)", (o, _) => new ResNetEncoder(34, o.InChannels), null),
        new("vgg16", "torchvision VGG-16 features", (o, _) => new VggEncoder(o.InChannels), null),
        new("densenet121", "torchvision DenseNet-121 features", (o, _) => new DenseNetEncoder(o.InChannels), null),
        new("resnet18_imagenet", "stages 1-3 of ML.NET's ImageNet ResNet-18 (bundled ImageNet weights; takes 0..1 RGB)",
            (o, _) => MlNetResNet18.CreateEncoder(o.InChannels, stages: 3),
            e => MlNetResNet18.LoadImageNetWeights((ResNetEncoder)e)),
    ];

    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToArray();

    public static string Describe(string name) => Find(name).Description;

    public static FeatureEncoder Create(ModelOptions options, bool dilated = false) => Find(options.Encoder).Create(options, dilated);

    /// <summary>True when the encoder comes with ImageNet weights that <see cref="LoadImageNetWeights"/> can load.</summary>
    public static bool HasImageNetWeights(string name) => Find(name).LoadImageNet is not null;

    /// <summary>Loads the encoder's bundled ImageNet weights; returns the number of tensors set.</summary>
    public static int LoadImageNetWeights(string name, FeatureEncoder encoder) =>
        (Find(name).LoadImageNet ?? throw new NucleiInputException(null, $"encoder '{name}' has no bundled ImageNet weights"))(encoder);

    private static Entry Find(string name) =>
        Entries.FirstOrDefault(e => e.Name == name) ?? throw new NucleiInputException(null, $"unknown encoder '{name}' (known: {string.Join(", ", Names)})");
}
