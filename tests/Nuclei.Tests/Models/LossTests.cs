using Nuclei.Core;
using Nuclei.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Models;

// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public class LossTests
{
    // A 2×2 "image" (batch 1): logits, soft/hard targets and a weight map, small enough to compute by hand.
    private static readonly double[] Z = [0.0, 2.0, -1.0, 0.5];
    private static readonly double[] T = [1.0, 1.0, 0.0, 0.0];
    private static readonly double[] Wm = [1.0, 2.0, 1.0, 3.0];

    private static Tensor D(double[] v) => tensor(v, ScalarType.Float64).reshape(1, 2, 2);

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double Bce(double z, double t) => -(t * Math.Log(Sigmoid(z)) + (1 - t) * Math.Log(1 - Sigmoid(z)));

    private static double Value(string name, double[] z, double[] t, double[]? w = null)
    {
        using var scope = NewDisposeScope();
        var loss = LossFactory.Create(name);
        return loss.Compute(D(z), D(t), w is null ? null : D(w)).item<double>();
    }

    [Fact]
    public void BceMatchesHandComputation()
    {
        double expected = Enumerable.Range(0, 4).Average(i => Bce(Z[i], T[i]));
        Assert.Equal(expected, Value("bce", Z, T), 10);
    }

    [Fact]
    public void WeightedBceMatchesHandComputation()
    {
        double expected = Enumerable.Range(0, 4).Average(i => Wm[i] * Bce(Z[i], T[i]));
        Assert.Equal(expected, Value("wbce", Z, T, Wm), 10);
        Assert.Equal(Value("bce", Z, T), Value("wbce", Z, T), 10); // no map: plain BCE
    }

    [Fact]
    public void SoftIouAndDiceMatchHandComputation()
    {
        double[] p = Z.Select(Sigmoid).ToArray();
        double inter = p[0] * 1 + p[1] * 1, sp = p.Sum(), st = 2;
        Assert.Equal(1 - (inter + 1) / (sp + st - inter + 1), Value("iou", Z, T), 10);
        Assert.Equal(1 - (2 * inter + 1) / (sp + st + 1), Value("dice", Z, T), 10);
    }

    [Fact]
    public void FocalAndFocal2MatchHandComputation()
    {
        double Fl(int i)
        {
            double p = Sigmoid(Z[i]), pt = T[i] == 1 ? p : 1 - p;
            return -Math.Pow(1 - pt, 2) * Math.Log(pt);
        }
        Assert.Equal(Enumerable.Range(0, 4).Average(Fl), Value("focal", Z, T, Wm), 10);           // focal ignores the map
        Assert.Equal(Enumerable.Range(0, 4).Average(i => Wm[i] * Fl(i)), Value("focal2", Z, T, Wm), 10);
    }

    [Fact]
    public void LovaszHingeMatchesHandComputation()
    {
        // errors 1 − z·s = [−2, 1.5, −1]; sorted: 1.5 (neg), −1 (neg), −2 (pos); Lovász gradient [1/2, 1/6, 1/3]:
        // loss = 1.5 · 1/2 = 0.75 (worked through Berman et al. 2018, Algorithm 1, by hand).
        using var scope = NewDisposeScope();
        var loss = new LovaszHingeLoss();
        var z = tensor(new[] { 3.0, 0.5, -2.0 }, ScalarType.Float64).reshape(1, 3);
        var t = tensor(new[] { 1.0, 0.0, 0.0 }, ScalarType.Float64).reshape(1, 3);
        Assert.Equal(0.75, loss.Compute(z, t).item<double>(), 10);
        // All correct with margin: zero loss.
        var z2 = tensor(new[] { 2.0, -1.0 }, ScalarType.Float64).reshape(1, 2);
        var t2 = tensor(new[] { 1.0, 0.0 }, ScalarType.Float64).reshape(1, 2);
        Assert.Equal(0.0, loss.Compute(z2, t2).item<double>(), 10);
        // Both wrong: errors [2, 2]; loss 2.
        var z3 = tensor(new[] { -1.0, 1.0 }, ScalarType.Float64).reshape(1, 2);
        Assert.Equal(2.0, loss.Compute(z3, t2).item<double>(), 10);
    }

    [Fact]
    public void CombinationsAreSumsOfTheirTerms()
    {
        Assert.Equal(Value("iou", Z, T) + Value("bce", Z, T), Value("iou+bce", Z, T), 10);
        Assert.Equal(Value("iou", Z, T) + Value("focal", Z, T) + Value("wbce", Z, T, Wm), Value("IoU + Focal + WBCE", Z, T, Wm), 10);
        Assert.Equal(0.5 * Value("bce", Z, T) + Value("dice", Z, T), Value("0.5*bce+dice", Z, T), 10);
        foreach (var name in LossFactory.Names.Concat(LossFactory.SeedCombinations)) Assert.NotNull(LossFactory.Create(name));
        var e = Assert.Throws<NucleiInputException>(() => LossFactory.Create("iou+fokal", "train.ini:12"));
        Assert.Contains("unknown loss 'fokal'", e.Message);
        Assert.StartsWith("train.ini:12", e.Message);
    }

    public static TheoryData<string> GradientCases() => new(LossFactory.Names.Concat(["iou+focal+wbce"]));

    /// <summary>Autograd gradient against central finite differences, in double precision, on a random 2×4×4 batch.</summary>
    [Theory]
    [MemberData(nameof(GradientCases))]
    public void GradientMatchesFiniteDifferences(string name)
    {
        using var scope = NewDisposeScope();
        var loss = LossFactory.Create(name);
        var gen = new Generator(42);
        var z0 = (rand([2, 4, 4], ScalarType.Float64, generator: gen) * 6 - 3);
        var t = rand([2, 4, 4], ScalarType.Float64, generator: gen).gt(0.5).to_type(ScalarType.Float64);
        if (name != "lovasz") t = t * 0.8 + 0.1; // soft targets exercise the general formulas (Lovász needs hard ones)
        var w = rand([2, 4, 4], ScalarType.Float64, generator: gen) * 3 + 0.5;

        var z = z0.clone().requires_grad_(true);
        loss.Compute(z, t, w).backward();
        var analytic = z.grad!.clone();

        var flat = z0.reshape(-1);
        double h = 1e-6;
        for (int i = 0; i < flat.shape[0]; i++)
        {
            double f(double delta)
            {
                using var s = NewDisposeScope();
                var zz = z0.clone();
                var zf = zz.reshape(-1);
                zf[i] = zf[i] + delta;
                using var _ = no_grad();
                return loss.Compute(zz, t, w).item<double>();
            }
            double numeric = (f(h) - f(-h)) / (2 * h);
            double a = analytic.reshape(-1)[i].item<double>();
            Assert.True(Math.Abs(a - numeric) < 1e-6 + 1e-5 * Math.Abs(numeric), $"{name}: d/dz[{i}] autograd {a}, finite differences {numeric}");
        }
    }

    [Fact]
    public void MultiHeadLossWeighsHeads()
    {
        using var scope = NewDisposeScope();
        var z = rand(2, 3, 4, 4, dtype: ScalarType.Float64) - 0.5;
        var t = rand(2, 3, 4, 4, dtype: ScalarType.Float64).gt(0.5).to_type(ScalarType.Float64);
        var bce = new BceLoss();
        var multi = new MultiHeadLoss([bce], [1.0, 0.5, 2.0]);
        var (total, perHead) = multi.Compute(z, t);
        double expected = 0;
        double[] hw = [1.0, 0.5, 2.0];
        for (int h = 0; h < 3; h++)
        {
            double v = bce.Compute(z[.., h], t[.., h]).item<double>();
            Assert.Equal(v, perHead[h], 10);
            expected += hw[h] * v;
        }
        Assert.Equal(expected, total.item<double>(), 10);
    }
}
