using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nuclei.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Models;

/// <summary>The port of ML.NET's ImageNet ResNet-18 (ONNX) to a TorchSharp encoder, checked against ONNX Runtime.</summary>
// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public class MlNetResNet18Tests
{
    const int Size = 224;

    [Fact]
    public void PooledFeaturesMatchOnnxRuntime()
    {
        var rgb = TestImage(seed: 7);
        float[] reference = OnnxPooledFeatures(rgb);

        using var scope = NewDisposeScope();
        using var encoder = MlNetResNet18.CreateEncoder(stages: 4);
        int loaded = MlNetResNet18.LoadImageNetWeights(encoder);
        Assert.Equal(5 * (1 + 2 * 9 + 3), loaded);   // stem, 9 blocks of two, 3 projections: a conv weight and 4 BN tensors each
        encoder.eval();
        using var noGrad = no_grad();
        var features = encoder.forward(tensor(rgb, new long[] { 1, 3, Size, Size }));
        var pooled = features[^1]!.mean(new long[] { 2, 3 }).flatten().data<float>().ToArray();

        Assert.Equal(512, pooled.Length);
        double maxDiff = pooled.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= 1e-3, $"max |ours − ONNX Runtime| = {maxDiff:G3} over 512 pooled features (mean |feature| {reference.Average(Math.Abs):G3})");
        Console.WriteLine($"ResNet-18 port: max abs difference {maxDiff:G3} over 512 pooled features");
    }

    [Fact]
    public void UNetEncoderIsStagesOneToThree()
    {
        using var net = (MultiHeadUNet)ModelRegistry.Create("camunet_resnet18_imagenet");
        Assert.Equal("resnet18_imagenet", net.Options.Encoder);
        Assert.Equal(16, net.SizeMultiple);
        Assert.DoesNotContain(net.Encoder.state_dict().Keys, k => k.StartsWith("layer4"));
        Assert.Equal(5 * (1 + 2 * 6 + 2), MlNetResNet18.LoadImageNetWeights((ResNetEncoder)net.Encoder));
    }

    /// <summary>A smooth random RGB image in 0..1, planar.</summary>
    static float[] TestImage(int seed)
    {
        var rng = new Random(seed);
        var img = new float[3 * Size * Size];
        for (int c = 0; c < 3; c++)
        {
            double fx = rng.NextDouble() * 0.1, fy = rng.NextDouble() * 0.1, ph = rng.NextDouble() * 6;
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                    img[(c * Size + y) * Size + x] = (float)(0.5 + 0.3 * Math.Sin(fx * x + fy * y + ph) + 0.1 * rng.NextDouble());
        }
        return img;
    }

    /// <summary>
    /// ResNet18.onnx's own output for the same image in its input convention: BGR, 0..255, minus the per-channel mean
    /// (the encoder subtracts the mean image's channel means rather than the image itself; that is a choice, not the port).
    /// </summary>
    static float[] OnnxPooledFeatures(float[] rgb)
    {
        using var net = new InferenceSession(MlNetResNet18.DefaultOnnxPath);
        int plane = Size * Size;
        var bgr = new float[rgb.Length];
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < plane; p++)
                bgr[c * plane + p] = rgb[(2 - c) * plane + p] * 255f - MlNetResNet18.InputMeanRgb[2 - c];
        var input = new DenseTensor<float>(bgr, new[] { 1, 3, Size, Size });
        using var output = net.Run([NamedOnnxValue.CreateFromTensor(net.InputMetadata.Keys.First(), input)]);
        return output.First().AsEnumerable<float>().ToArray();
    }
}
