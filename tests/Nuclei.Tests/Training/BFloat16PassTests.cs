using Nuclei.Torch.Runtime;
using Nuclei.Core.Configuration;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Models;
using Nuclei.Torch.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Nuclei.Tests.Training;

/// <summary>Training's bfloat16 pass: float32 gradients and statistics close to a float32 pass, and a run that learns.</summary>
[Collection("torch-training")]
public class BFloat16PassTests(ITestOutputHelper output)
{
    static SegmentationNet Net(int seed)
    {
        torch.manual_seed(seed);
        // no dropout: the two passes would draw different masks
        var net = ModelRegistry.Create("scamunet_resnet18_imagenet", new ModelOptions { BaseWidth = 8, Depth = 3, Dropout = 0 });
        net.train();
        return net;
    }

    /// <summary>All gradients of <paramref name="net"/> as one float64 vector (zeros where a parameter has none).</summary>
    static Tensor Gradients(SegmentationNet net) =>
        cat(net.parameters().Select(p => p.grad is Tensor g ? g.to(ScalarType.Float64).flatten() : zeros(p.numel(), ScalarType.Float64)).ToArray());

    [Fact]
    public void GradientsAndBatchNormStatisticsMatchAFloat32Pass()
    {
        using var scope = NewDisposeScope();
        using var reference = Net(3);
        using var master = Net(3);   // the same initial weights
        using var direct = Net(3);   // the same network converted to bfloat16 as a whole
        direct.to(ScalarType.BFloat16);
        using var pass = new BFloat16Pass(master, () => Net(99));
        using var native = OneDnnConvolutions.AvoidForNarrow(reference, _ => { });   // as training this narrow network would (8 channels)
        var x = rand(2, 3, 64, 64);
        var target = rand(2, reference.Heads.Count, 64, 64).gt(0.5).to_type(ScalarType.Float32);

        nn.functional.binary_cross_entropy_with_logits(reference.forward(x), target).backward();
        var logits = pass.Forward(x);
        Assert.Equal(ScalarType.Float32, logits.dtype);
        nn.functional.binary_cross_entropy_with_logits(logits, target).backward();
        pass.TakeGradients();
        nn.functional.binary_cross_entropy_with_logits(direct.forward(x.to(ScalarType.BFloat16)).to(ScalarType.Float32), target).backward();

        var g32 = Gradients(reference);
        var g16 = Gradients(master);
        double cosine = (g32.dot(g16) / (g32.norm() * g16.norm())).item<double>();
        output.WriteLine($"gradient cosine {cosine:F5}");
        Assert.All(master.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        // exactly the gradients of the network computed in bfloat16 as a whole: the copy took the weights and gave its gradients
        Assert.Equal(0.0, (Gradients(direct) - g16).abs().max().item<double>());
        // and near float32's (bfloat16 keeps 8 bits of mantissa; about 0.95 for this small random network)
        Assert.True(cosine > 0.9, $"bfloat16 gradients point elsewhere (cosine {cosine:F4})");
        Assert.True(cosine < 1, "the bfloat16 pass computed nothing in bfloat16");

        // batch norm's running statistics moved in the master as they did in the float32 network
        static float Relative(Tensor a, Tensor b) => ((a - b).norm() / a.norm()).item<float>();
        using var initial = Net(3);
        var statistics = reference.buffers().Zip(master.buffers(), initial.buffers()).Where(b => b.First.dtype == ScalarType.Float32).ToList();
        Assert.Contains(statistics, b => Relative(b.First, b.Third) > 0.1f);   // the pass moved them
        foreach (var (r, m, _) in statistics)
            Assert.True(Relative(r, m) < 0.02f, $"running statistics differ by {Relative(r, m):P1}");
    }

    [Fact]
    public void TrainingInBFloat16LearnsAndSavesFloat32Weights()
    {
        string root = SyntheticNuclei.TempDir("bf16");
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            var overrides = SyntheticNuclei.TinyRun(epochs: 8).Concat(new[] { "train.precision=bf16", "dataset.cv_ratio=0.0", "train.n_cv_epoch=100" }).ToArray();
            var config = ConfigurationLoader.Load(null, overrides);
            var result = Trainer.Run(new TrainingRequest(data, Path.Combine(root, "out"), config, ResumeMode.Fresh), new PlainTrainingObserver(TextWriter.Null));
            var losses = result.Epochs.Select(e => e.Loss).ToArray();
            output.WriteLine("epoch losses: " + string.Join(", ", losses.Select(l => l.ToString("0.000"))));
            Assert.True(losses[^2..].Average() < losses[..2].Average(), "training loss should fall");
            using var net = Checkpoint.Load(result.CurrentCheckpoint!).Net;
            Assert.All(net.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        }
        finally { Directory.Delete(root, true); }
    }
}
