using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// DenseNet-121 encoder (Huang et al. 2017, "Densely connected convolutional networks"), parameters named as
/// torchvision's densenet121().features (features.conv0, features.denseblock1.denselayer1.norm1, …, features.norm5).
/// Skips: stem at 1/2 (64 ch), dense block 1 at 1/4 (256), block 2 at 1/8 (512), block 3 at 1/16 (1024);
/// bottleneck: block 4 + norm5 at 1/32 (1024).
/// </summary>
internal sealed class DenseNetEncoder : FeatureEncoder
{
    private readonly DenseNetFeatures features;

    public DenseNetEncoder(int inChannels = 3) : base("DenseNet121Encoder")
    {
        features = new DenseNetFeatures(inChannels, [6, 12, 24, 16], growth: 32, bnSize: 4, initFeatures: 64);
        RegisterComponents();
    }

    public override IReadOnlyList<int> SkipChannels { get; } = [0, 64, 256, 512, 1024];

    public override int BottleneckChannels => 1024;

    public override Tensor?[] forward(Tensor x) => features.Run(x);

    /// <summary>The torchvision "features" module, with its child names.</summary>
    private sealed class DenseNetFeatures : nn.Module<Tensor, Tensor>, IFoldsBatchNorm
    {
        private readonly nn.Module<Tensor, Tensor> conv0, norm0, relu0, pool0, norm5;
        private bool folded;
        private readonly List<DenseBlock> blocks = new();
        private readonly List<nn.Module<Tensor, Tensor>> transitions = new();

        public DenseNetFeatures(int inChannels, int[] blockLayers, int growth, int bnSize, int initFeatures) : base("features")
        {
            conv0 = nn.Conv2d(inChannels, initFeatures, 7, stride: 2, padding: 3, bias: false);
            norm0 = nn.BatchNorm2d(initFeatures);
            relu0 = nn.ReLU(inplace: true);
            pool0 = nn.MaxPool2d(3, stride: 2, padding: 1);
            register_module("conv0", conv0);
            register_module("norm0", norm0);
            register_module("relu0", relu0);
            register_module("pool0", pool0);
            int c = initFeatures;
            for (int b = 0; b < blockLayers.Length; b++)
            {
                var block = new DenseBlock(blockLayers[b], c, bnSize, growth);
                blocks.Add(block);
                register_module($"denseblock{b + 1}", block);
                c += blockLayers[b] * growth;
                if (b == blockLayers.Length - 1) break;
                var transition = nn.Sequential(
                    ("norm", nn.BatchNorm2d(c)), ("relu", nn.ReLU(inplace: true)),
                    ("conv", nn.Conv2d(c, c / 2, 1, bias: false)), ("pool", nn.AvgPool2d(2, stride: 2)));
                transitions.Add(transition);
                register_module($"transition{b + 1}", transition);
                c /= 2;
            }
            norm5 = nn.BatchNorm2d(c);
            register_module("norm5", norm5);
        }

        public override Tensor forward(Tensor x) => Run(x)[^1]!;

        public Tensor?[] Run(Tensor x)
        {
            var result = new Tensor?[6];
            using var n0 = BatchNormFolding.Normalise(norm0, conv0.forward(x), folded);
            var stem = relu0.forward(n0).alias();
            result[1] = stem;
            Tensor current = pool0.forward(stem);
            for (int b = 0; b < blocks.Count; b++)
            {
                var y = blocks[b].forward(current);
                current.Dispose();
                if (b < transitions.Count)
                {
                    result[b + 2] = y;
                    current = transitions[b].forward(y);
                }
                else
                {
                    result[5] = norm5.forward(y);
                    y.Dispose();
                }
            }
            return result;
        }

        public int FoldBatchNorm() => Fold(ref folded, conv0, norm0);
    }

    /// <summary>Folds <paramref name="norm"/> into <paramref name="conv"/> once (see <see cref="BatchNormFolding"/>); returns 1 when it did.</summary>
    private static int Fold(ref bool folded, nn.Module<Tensor, Tensor> conv, nn.Module<Tensor, Tensor> norm)
    {
        if (folded) return 0;
        BatchNormFolding.FoldInto((Conv2d)conv, (BatchNorm2d)norm);
        folded = true;
        return 1;
    }


    /// <summary>torchvision's _DenseBlock: each layer's output is concatenated to all earlier features.</summary>
    // internal, not private: the ONNX export (Export/OnnxEmitters) registers an emitter for this type.
    internal sealed class DenseBlock : nn.Module<Tensor, Tensor>
    {
        private readonly List<DenseLayer> layers = new();

        public DenseBlock(int count, int inChannels, int bnSize, int growth) : base("denseblock")
        {
            for (int i = 0; i < count; i++)
            {
                var layer = new DenseLayer(inChannels + i * growth, bnSize, growth);
                layers.Add(layer);
                register_module($"denselayer{i + 1}", layer);
            }
        }

        public override Tensor forward(Tensor x)
        {
            var all = new List<Tensor> { x };
            var created = new List<Tensor>();
            foreach (var layer in layers)
            {
                using var input = torch.cat(all, 1);
                var y = layer.forward(input);
                all.Add(y);
                created.Add(y);
            }
            var result = torch.cat(all, 1);
            foreach (var t in created) t.Dispose();
            return result;
        }
    }

    /// <summary>torchvision's _DenseLayer: BN-ReLU-1×1 conv (bn_size·growth) - BN-ReLU-3×3 conv (growth).</summary>
    // internal, not private: the ONNX export (Export/OnnxEmitters) registers an emitter for this type.
    internal sealed class DenseLayer : nn.Module<Tensor, Tensor>, IFoldsBatchNorm
    {
        private readonly nn.Module<Tensor, Tensor> norm1, relu1, conv1, norm2, relu2, conv2;
        private bool folded;

        public DenseLayer(int inChannels, int bnSize, int growth) : base("denselayer")
        {
            norm1 = nn.BatchNorm2d(inChannels);
            relu1 = nn.ReLU(inplace: true);
            conv1 = nn.Conv2d(inChannels, bnSize * growth, 1, bias: false);
            norm2 = nn.BatchNorm2d(bnSize * growth);
            relu2 = nn.ReLU(inplace: true);
            conv2 = nn.Conv2d(bnSize * growth, growth, 3, padding: 1, bias: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var a = norm1.forward(x);
            using var b = relu1.forward(a);
            using var d = BatchNormFolding.Normalise(norm2, conv1.forward(b), folded);
            using var e = relu2.forward(d);
            return conv2.forward(e);
        }

        /// <summary>norm2 folds into conv1; norm1 comes before its convolution (pre-activation) and stays.</summary>
        public int FoldBatchNorm() => Fold(ref folded, conv1, norm2);
    }
}
