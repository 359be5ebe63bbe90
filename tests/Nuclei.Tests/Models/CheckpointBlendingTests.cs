using Nuclei.Core;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Models;
using TorchSharp;

namespace Nuclei.Tests.Models;

/// <summary>Weight-space blending of two checkpoints: each tensor on the line between them, what the blend records, and what it refuses.</summary>
public sealed class CheckpointBlendingTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("nuclei-blend-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Save(string name, int seed, ModelOptions? options = null, string threshold = "0.5")
    {
        torch.manual_seed(seed);
        string path = Path.Combine(dir, name);
        using var net = ModelRegistry.Create("camunet", options ?? new ModelOptions { BaseWidth = 4, Depth = 2 });
        using (torch.no_grad())
            foreach (var (key, buffer) in net.named_buffers())
                if (key.EndsWith("running_mean")) buffer.fill_(seed);   // statistics differ between the two, as after training
                else if (key.EndsWith("num_batches_tracked")) buffer.fill_(seed * 100);
        Checkpoint.Save(path, net, new CheckpointInfo
        {
            Configuration = [new("param.threshold", threshold)], Epoch = seed, MedianDiameter = 20 + seed, ValidationScore = 0.5,
            Evaluation = new ModelEvaluation { MeanAp = 0.6, Images = 3, Command = "nuclei tune", MeasuredUtc = DateTime.UtcNow },
        });
        return path;
    }

    [Fact]
    public void Every_weight_and_statistic_lies_a_quarter_of_the_way_to_the_second()
    {
        string a = Save("a.nck", 1, threshold: "0.6"), b = Save("b.nck", 2, threshold: "0.3"), outPath = Path.Combine(dir, "blend.nck");
        var record = CheckpointBlending.Blend(a, b, 0.25, outPath);

        var first = Checkpoint.Load(a); var second = Checkpoint.Load(b); var blend = Checkpoint.Load(outPath);
        using var n1 = first.Net; using var n2 = second.Net; using var n3 = blend.Net;
        var (s1, s2) = (first.Net.state_dict(), second.Net.state_dict());
        int floating = 0;
        foreach (var (key, t) in blend.Net.state_dict())
        {
            if (t.is_floating_point())
            {
                using var expected = s1[key] * 0.75 + s2[key] * 0.25;
                Assert.True(expected.allclose(t, rtol: 1e-5, atol: 1e-6), key);
                floating++;
            }
            else Assert.True(s1[key].equal(t).item<bool>(), key);   // step counters: the first's
        }
        Assert.True(floating > 10);
        Assert.Equal(1.25, blend.Net.state_dict().First(kv => kv.Key.EndsWith("running_mean")).Value[0].item<float>(), 5);

        Assert.Equal(0.25, record.Weight);
        Assert.Equal(("a.nck", "b.nck"), (blend.Info.Blend!.First, blend.Info.Blend.Second));
        Assert.Equal(16, blend.Info.Blend.SecondSha256.Length);
        Assert.Contains(new KeyValuePair<string, string>("param.threshold", "0.6"), blend.Info.Configuration);
        Assert.Equal(21, blend.Info.MedianDiameter);
        Assert.Null(blend.Info.Evaluation);        // what was measured of the first says nothing of the blend
        Assert.Null(blend.Info.ValidationScore);
    }

    [Fact]
    public void Different_networks_an_input_as_output_and_a_share_outside_0_to_1_are_refused()
    {
        string a = Save("a.nck", 1), wider = Save("wider.nck", 2, new ModelOptions { BaseWidth = 8, Depth = 2 });
        string outPath = Path.Combine(dir, "blend.nck");

        var e = Assert.Throws<NucleiInputException>(() => CheckpointBlending.Blend(a, wider, 0.5, outPath));
        Assert.Equal(wider, e.InputPath);
        Assert.Contains("cannot be blended with a.nck", e.Message);
        Assert.Throws<NucleiInputException>(() => CheckpointBlending.Blend(a, a, 0.5, a));
        var w = Assert.Throws<NucleiInputException>(() => CheckpointBlending.Blend(a, a, 1.5, outPath));
        Assert.Contains("within 0..1, got 1.5", w.Message);
        Assert.False(File.Exists(outPath));
    }
}
