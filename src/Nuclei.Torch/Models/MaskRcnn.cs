using Nuclei.Torch.Models.Detection;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// Mask R-CNN (He et al. 2017, "Mask R-CNN") with a feature pyramid (Lin et al. 2017) on a ResNet encoder, one class
/// (nucleus), after torchvision's maskrcnn_resnet50_fpn: encoder stages C2…C5 → FPN P2…P5 plus P6 (max-pool) →
/// RPN proposals → RoIAlign per level → box head and 28×28 mask head. FPN and RPN are <see cref="PyramidChannels"/>
/// wide, the mask head's convolutions <see cref="MaskHeadWidth"/> (torchvision: 256 both), savings on the CPU: at 128
/// the mask head's four 3×3 convolutions over every positive RoI took most of a training step. Inputs must be
/// multiples of 32.
/// As a <see cref="SegmentationNet"/> its one head is the foreground: <c>forward</c> (eval mode) returns the logit of
/// the largest pasted mask probability per pixel; the nuclei themselves come from <see cref="Detect"/>.
/// </summary>
internal sealed class MaskRcnn : SegmentationNet, IInstanceDetector
{
    /// <summary>Pyramid levels the RPN sees (P2…P6); RoIAlign reads the first four.</summary>
    public const int PyramidLevels = 5;

    public const int PyramidChannels = 128;

    public const int MaskHeadWidth = 64;

    private readonly ResNetEncoder backbone;
    private readonly FeaturePyramid fpn;
    private readonly RegionProposalNetwork rpn;
    private readonly RoiHeads roi_heads;

    /// <param name="encoderName">the <see cref="EncoderFactory"/> name of <paramref name="backbone"/> (for its ImageNet weights)</param>
    internal MaskRcnn(string name, ModelOptions options, ResNetEncoder backbone, string encoderName)
        : base(name, [HeadKind.Semantic], options, sizeMultiple: 32)
    {
        this.backbone = backbone;
        EncoderName = encoderName;
        fpn = new FeaturePyramid(backbone.SkipChannels.Skip(2).Append(backbone.BottleneckChannels).ToArray(), PyramidChannels);
        rpn = new RegionProposalNetwork(PyramidChannels);
        roi_heads = new RoiHeads(PyramidChannels, MaskHeadWidth);
        RegisterComponents();
    }

    /// <summary>The ResNet encoder (to load ImageNet weights into).</summary>
    public FeatureEncoder Encoder => backbone;

    /// <summary>The encoder's <see cref="EncoderFactory"/> name.</summary>
    public string EncoderName { get; }

    public MaskRcnnSettings Settings { get; private set; } = new();

    public DetectionPainter Painter => new(Settings.ScoreThreshold, Settings.MaskThreshold, Settings.MinSize);

    public void Configure(MaskRcnnSettings settings) => Settings = settings;

    public Tensor Loss(Tensor images, IReadOnlyList<InstanceTargets> targets)
    {
        if (targets.Count != images.shape[0]) throw new ArgumentException($"{targets.Count} targets for {images.shape[0]} images");
        using var scope = NewDisposeScope();
        var pyramid = Pyramid(images);
        var (proposals, rpnLoss) = rpn.Propose(pyramid, images.shape[2], images.shape[3], Settings, targets);
        var headLoss = roi_heads.Loss(pyramid[..4], proposals, targets, Settings);
        return (rpnLoss! + headLoss).MoveToOuterDisposeScope();
    }

    public IReadOnlyList<IReadOnlyList<DetectedNucleus>> Detect(Tensor images)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var pyramid = Pyramid(images);
        var (proposals, _) = rpn.Propose(pyramid, images.shape[2], images.shape[3], Settings, null);
        return roi_heads.Detect(pyramid[..4], proposals, images.shape[2], images.shape[3], Settings);
    }

    /// <summary>The foreground logit map [N, 1, H, W] of the painted detections (eval mode only).</summary>
    public override Tensor forward(Tensor images)
    {
        if (training) throw new InvalidOperationException("Mask R-CNN trains through Loss, not forward");
        var detections = Detect(images);
        int h = (int)images.shape[2], w = (int)images.shape[3];
        var painter = Painter;
        var planes = detections.SelectMany(d => painter.Paint(d, h, w).Foreground.Data).ToArray();
        using var probabilities = tensor(planes, new long[] { images.shape[0], 1, h, w });
        return probabilities.clamp(1e-6, 1 - 1e-6).logit();
    }

    /// <summary>P2…P6 of the encoder's stages C2…C5.</summary>
    private Tensor[] Pyramid(Tensor images)
    {
        var stages = backbone.forward(images);
        stages[1]?.Dispose();   // the stem: not a pyramid input
        return fpn.forward(stages[2..].Select(t => t!).ToArray());
    }
}
