using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// ResNet-18/34 encoder (He et al. 2016, "Deep residual learning for image recognition"), parameters named exactly as
/// torchvision's resnet18/resnet34 (conv1, bn1, layer1.0.conv1, …, layer4.2.downsample.1), so ImageNet weights
/// exported from torchvision to TorchSharp's format (TorchSharp's exportsd.py) load with
/// <see cref="PretrainedWeights.LoadInto"/>. Skips: stem at 1/2 (64 ch), layer1 at 1/4 (64), layer2 at 1/8 (128),
/// layer3 at 1/16 (256); bottleneck layer4 at 1/32 (512); no skip at full resolution.
/// With <c>stages = 3</c> layer4 is left out and layer3 (1/16, 256 channels) is the bottleneck.
/// </summary>
internal sealed class ResNetEncoder : FeatureEncoder, IFoldsBatchNorm
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly nn.Module<Tensor, Tensor> maxpool;
    private readonly Sequential layer1, layer2, layer3;
    private readonly Sequential? layer4;
    private readonly Tensor? input_mean;
    private bool folded;

    public ResNetEncoder(int depth, int inChannels = 3) : this($"ResNet{depth}Encoder", depth switch
    {
        18 => [2, 2, 2, 2],
        34 => [3, 4, 6, 3],
        _ => throw new ArgumentException($"ResNet-{depth} is not supported (18 or 34)"),
    }, inChannels) { }

    /// <param name="blocks">basic blocks per stage (layer1..layer4)</param>
    /// <param name="stages">3: layer1..layer3 only; 4: all</param>
    /// <param name="inputMean">when set, the encoder takes 0..1 images and feeds (255·x − mean) to conv1, the input
    /// scale of networks trained on 0..255 pixels minus a mean (e.g. ML.NET's ImageNet ResNet-18)</param>
    public ResNetEncoder(string name, int[] blocks, int inChannels, int stages = 4, float[]? inputMean = null) : base(name)
    {
        if (blocks.Length != 4 || stages is < 3 or > 4) throw new ArgumentException("four stage sizes, and 3 or 4 stages used");
        conv1 = nn.Conv2d(inChannels, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(64);
        relu = nn.ReLU(inplace: true);
        maxpool = nn.MaxPool2d(3, stride: 2, padding: 1);
        layer1 = MakeLayer(64, 64, blocks[0], 1);
        layer2 = MakeLayer(64, 128, blocks[1], 2);
        layer3 = MakeLayer(128, 256, blocks[2], 2);
        if (stages == 4) layer4 = MakeLayer(256, 512, blocks[3], 2);
        if (inputMean is not null)
        {
            if (inputMean.Length != inChannels) throw new ArgumentException("one input mean per channel");
            input_mean = torch.tensor(inputMean, new long[] { 1, inChannels, 1, 1 });
        }
        SkipChannels = stages == 4 ? [0, 64, 64, 128, 256] : [0, 64, 64, 128];
        BottleneckChannels = stages == 4 ? 512 : 256;
        RegisterComponents();
    }

    public override IReadOnlyList<int> SkipChannels { get; }

    public override int BottleneckChannels { get; }

    public override Tensor?[] forward(Tensor x)
    {
        using var scaled = input_mean is null ? x.alias() : x.mul(255f).sub_(input_mean);
        var stem = relu.forward(BatchNormFolding.Normalise(bn1, conv1.forward(scaled), folded));
        using var pooled = maxpool.forward(stem);
        var f1 = layer1.forward(pooled);
        var f2 = layer2.forward(f1);
        var f3 = layer3.forward(f2);
        if (layer4 is null) return [null, stem, f1, f2, f3];
        var f4 = layer4.forward(f3);
        return [null, stem, f1, f2, f3, f4];
    }

    public int FoldBatchNorm()
    {
        if (folded) return 0;
        BatchNormFolding.FoldInto(conv1, bn1);
        folded = true;
        return 1;
    }


    private static Sequential MakeLayer(int inPlanes, int planes, int blocks, int stride)
    {
        var list = new List<(string, nn.Module<Tensor, Tensor>)> { ("0", new BasicBlock(inPlanes, planes, stride)) };
        for (int i = 1; i < blocks; i++) list.Add(($"{i}", new BasicBlock(planes, planes, 1)));
        return nn.Sequential(list);
    }

    /// <summary>torchvision's BasicBlock: two 3×3 conv + BN, identity (or 1×1 conv + BN when shape changes) shortcut.</summary>
    // internal, not private: the ONNX export (Export/OnnxEmitters) registers an emitter for this type.
    internal sealed class BasicBlock : nn.Module<Tensor, Tensor>, IFoldsBatchNorm
    {
        private readonly Conv2d conv1, conv2;
        private readonly BatchNorm2d bn1, bn2;
        private readonly Sequential? downsample;
        private bool folded;

        public BasicBlock(int inPlanes, int planes, int stride) : base(nameof(BasicBlock))
        {
            conv1 = nn.Conv2d(inPlanes, planes, 3, stride: stride, padding: 1, bias: false);
            bn1 = nn.BatchNorm2d(planes);
            conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
            bn2 = nn.BatchNorm2d(planes);
            if (stride != 1 || inPlanes != planes)
                downsample = nn.Sequential(("0", nn.Conv2d(inPlanes, planes, 1, stride: stride, bias: false)), ("1", nn.BatchNorm2d(planes)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var b = BatchNormFolding.Normalise(bn1, conv1.forward(x), folded);
            using var c = b.relu_();
            using var e = BatchNormFolding.Normalise(bn2, conv2.forward(c), folded);
            using var shortcut = downsample is null ? x.alias() : Shortcut(x);
            using var sum = e.add(shortcut);
            return sum.relu();
        }

        /// <summary>The 1×1 projection: downsample.0 (conv) alone once downsample.1 (BN) is folded into it.</summary>
        private Tensor Shortcut(Tensor x) => folded ? ((Conv2d)downsample!.children().First()).forward(x) : downsample!.forward(x);

        public int FoldBatchNorm()
        {
            if (folded) return 0;
            BatchNormFolding.FoldInto(conv1, bn1);
            BatchNormFolding.FoldInto(conv2, bn2);
            if (downsample is not null)
            {
                var parts = downsample.children().ToArray();
                BatchNormFolding.FoldInto((Conv2d)parts[0], (BatchNorm2d)parts[1]);
            }
            folded = true;
            return downsample is null ? 2 : 3;
        }
    }
}
