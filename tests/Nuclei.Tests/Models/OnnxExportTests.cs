using Nuclei.Torch.Runtime;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nuclei.Core;
using Nuclei.Torch.Checkpoints;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Export;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace Nuclei.Tests.Models;

/// <summary>
/// The ONNX export against the TorchSharp network it comes from: the same input through both, ONNX Runtime's head maps
/// within 1e-4 of the sigmoid of the network's logits (what Predictor computes), for every architecture of the zoo.
/// </summary>
// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public sealed class OnnxExportTests(ITestOutputHelper output) : IDisposable
{
    const double Tolerance = 1e-4;

    readonly string dir = Directory.CreateTempSubdirectory("nuclei-onnx-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // Small plain-encoder models (base width 4, depth 3: size multiple 8), in the default block order (CAB: the batch
    // norm after the ReLU stays a BatchNormalization node) and in CBA (the batch norm folds into the convolution).
    [Theory]
    [InlineData("unet", "CAB")]
    [InlineData("unet", "CBA")]
    [InlineData("dunet", "CAB")]
    [InlineData("caunet", "BAC")]
    [InlineData("camunet", "CAB")]
    [InlineData("camunet", "CBA")]
    [InlineData("scamunet", "CAB")]
    [InlineData("camdunet", "CBA")]
    [InlineData("camunet_lite", "CAB")]
    [InlineData("caunet_lite", "CBA")]
    [InlineData("dcan", "CAB")]
    [InlineData("dcan", "CBA")]
    public void Zoo_model_matches_TorchSharp(string name, string blockOrder)
    {
        using var net = RandomNet(name, new ModelOptions { BaseWidth = 4, Depth = 3, BlockOrder = blockOrder });
        AssertParity(net, 64, 96, name + " " + blockOrder);
    }

    // The torchvision-style encoders (fixed widths) under a default decoder, and the bundled model's architecture.
    [Theory]
    [InlineData("scamunet_resnet18_imagenet")]
    [InlineData("camunet_resnet18")]
    [InlineData("unet_resnet34")]
    [InlineData("caunet_vgg16")]
    [InlineData("unet_densenet121")]
    public void Encoder_model_matches_TorchSharp(string name)
    {
        using var net = RandomNet(name, new ModelOptions { BaseWidth = 8 });
        AssertParity(net, 64, 96, name);
    }

    [Fact]
    public void Height_width_and_batch_are_free()
    {
        using var net = RandomNet("scamunet_resnet18_imagenet", new ModelOptions { BaseWidth = 8 });
        using var session = new InferenceSession(OnnxExport.ToModel(net).ToByteArray());
        foreach (var (n, h, w) in new[] { (1, 96, 160), (2, 64, 64), (1, 160, 32) })
        {
            double diff = MaxDifference(net, session, n, h, w);
            output.WriteLine($"{n}×3×{h}×{w}: max abs difference {diff:G3}");
            Assert.True(diff <= Tolerance, $"{n}×{h}×{w}: max abs difference {diff:G3}");
        }
        var input = session.InputMetadata[OnnxExport.InputName];
        Assert.Equal(new[] { -1, 3, -1, -1 }, input.Dimensions);
    }

    [SkippableFact]
    public void Bundled_model_exports_with_its_preprocessing_and_matches_TorchSharp()
    {
        string path = Path.Combine(TestData.RepoRoot, "models", "default.nck");
        Skip.IfNot(File.Exists(path), $"bundled model {path} not found; skipped");
        string onnx = Path.Combine(dir, "default.onnx");
        var summary = OnnxExport.ExportCheckpoint(path, onnx);
        Assert.Equal(new[] { "semantic", "contour", "marker" }, summary.Outputs);
        output.WriteLine($"{summary.Architecture}: {summary.Bytes:N0} bytes, {summary.Nodes} nodes");

        using var session = new InferenceSession(onnx);
        var meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("semantic,contour,marker", meta["nuclei.heads"]);
        Assert.Equal("16", meta["nuclei.size_multiple"]);
        foreach (var key in new[] { "nuclei.pre.normalize", "nuclei.pre.mean", "nuclei.pre.std", "nuclei.pre.percentile_low", "nuclei.pre.percentile_high", "nuclei.preprocessing", "nuclei.training_diameter_px" })
            Assert.True(meta.ContainsKey(key), $"metadata lacks {key}");

        var loaded = Checkpoint.Load(path);
        using var net = loaded.Net;
        double diff = MaxDifference(net, session, 1, 96, 160);
        output.WriteLine($"bundled model, random 96×160: max abs difference {diff:G3}");
        Assert.True(diff <= Tolerance, $"max abs difference {diff:G3}");

        // A real image, normalised as the checkpoint says (its activations, unlike random ones, saturate the heads).
        string sample = Directory.EnumerateFiles(TestData.SamplesDir, "*.png", SearchOption.AllDirectories).Where(f => f.Contains("images")).Order(StringComparer.Ordinal).First();
        var image = InputPreparation.AdaptChannels(ImageIO.ReadImage(sample), 3);
        var normalization = CheckpointModels.NormalizationOf(new CheckpointSettings(loaded.Info.Configuration, path));
        int h = image.Height / 16 * 16, w = image.Width / 16 * 16;
        using var planar = torch.tensor(normalization.ToPlanar(image), new long[] { 1, 3, image.Height, image.Width });
        using var x = planar[.., .., ..h, ..w].contiguous();
        double real = MaxDifference(net, session, x);
        output.WriteLine($"bundled model, {Path.GetFileName(sample)} {h}×{w}: max abs difference {real:G3}");
        Assert.True(real <= Tolerance, $"max abs difference {real:G3}");
    }

    [Fact]
    public void An_unknown_module_is_refused_by_its_type()
    {
        using var net = new MultiHeadUNet("custom", [HeadKind.Semantic], new ModelOptions(), new GeluEncoder(), [4], sharedDecoder: false);
        net.eval();
        var e = Assert.Throws<NucleiInputException>(() => OnnxExport.ToModel(net));
        Assert.Contains(typeof(GeluEncoder).FullName!, e.Message);
    }

    [Fact]
    public void A_folded_network_is_refused()
    {
        using var net = RandomNet("unet", new ModelOptions { BaseWidth = 4, Depth = 2, BlockOrder = "CBA" });
        BatchNormFolding.Fold(net);
        var e = Assert.Throws<NucleiInputException>(() => OnnxExport.ToModel(net));
        Assert.Contains("already folded", e.Message);
    }

    /// <summary>A network in eval mode with random weights and random batch-norm statistics (so folding them is tested).</summary>
    internal static SegmentationNet RandomNet(string name, ModelOptions options)
    {
        torch.manual_seed(1);
        var net = ModelRegistry.Create(name, options);
        using (torch.no_grad())
            foreach (var bn in net.modules().OfType<TorchSharp.Modules.BatchNorm2d>())
            {
                bn.running_mean!.copy_(torch.randn(bn.running_mean.shape) * 0.2);
                bn.running_var!.copy_(torch.rand(bn.running_var.shape) + 0.5);
                bn.weight!.copy_(torch.rand(bn.weight.shape) + 0.5);
                bn.bias!.copy_(torch.randn(bn.bias.shape) * 0.2);
            }
        net.eval();
        return net;
    }

    void AssertParity(SegmentationNet net, int h, int w, string what)
    {
        var model = OnnxExport.ToModel(net);
        using var session = new InferenceSession(model.ToByteArray());
        double diff = MaxDifference(net, session, 1, h, w);
        output.WriteLine($"{what}: max abs difference {diff:G3} ({model.Graph.Node.Count} nodes)");
        Assert.True(diff <= Tolerance, $"{what}: max abs difference {diff:G3}");
    }

    /// <summary>Max |ONNX Runtime − sigmoid(TorchSharp logits)| over every head map of one random normalised batch.</summary>
    static double MaxDifference(SegmentationNet net, InferenceSession session, int n, int h, int w)
    {
        torch.manual_seed(h * 1000 + w);
        using var x = torch.randn(n, net.Options.InChannels, h, w);
        return MaxDifference(net, session, x);
    }

    /// <summary>Max |ONNX Runtime − sigmoid(TorchSharp logits)| over every head map of the normalised batch <paramref name="x"/>.</summary>
    static double MaxDifference(SegmentationNet net, InferenceSession session, Tensor x)
    {
        int n = (int)x.shape[0], c = (int)x.shape[1], h = (int)x.shape[2], w = (int)x.shape[3], heads = net.Heads.Count;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        // the reference on libtorch's native kernels: oneDNN's own rounding is not what the export is checked against
        // (on an AMD Zen 5 its forward pass of the VGG-16 encoder is 8e-4 off float64, the native kernels 6e-8)
        float[] expected;
        using (OneDnnConvolutions.Off())
            expected = torch.sigmoid(net.forward(x)).contiguous().data<float>().ToArray();   // [n, heads, h, w]
        Assert.True(expected.Max() - expected.Min() > 1e-3, "the network's maps are flat: a parity check on them would prove little");

        var input = new DenseTensor<float>(x.data<float>().ToArray(), [n, c, h, w]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxExport.InputName, input)]);
        double max = 0;
        int plane = h * w;
        for (int k = 0; k < heads; k++)
        {
            float[] actual = results.First(r => r.Name == net.Heads[k].ToString().ToLowerInvariant()).AsEnumerable<float>().ToArray();
            Assert.Equal(n * plane, actual.Length);
            for (int b = 0; b < n; b++)
                for (int p = 0; p < plane; p++)
                    max = Math.Max(max, Math.Abs(actual[b * plane + p] - expected[(b * heads + k) * plane + p]));
        }
        return max;
    }

    /// <summary>An encoder with a module the export has no emitter for.</summary>
    sealed class GeluEncoder : FeatureEncoder
    {
        private readonly nn.Module<Tensor, Tensor> conv = nn.Conv2d(3, 4, 3, padding: 1);
        private readonly nn.Module<Tensor, Tensor> act = nn.GELU();

        public GeluEncoder() : base(nameof(GeluEncoder)) => RegisterComponents();

        public override IReadOnlyList<int> SkipChannels => [4];

        public override int BottleneckChannels => 4;

        public override Tensor?[] forward(Tensor x)
        {
            var skip = act.forward(conv.forward(x));
            return [skip, nn.functional.max_pool2d(skip, 2)];
        }
    }
}
