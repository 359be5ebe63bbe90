using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Bench.Runtime;

/// <summary>
/// Which libtorch CPU operation reads memory it did not write: each candidate layer's forward and backward pass is run
/// many times, each time after a NaN-filled block of the size of its buffers was allocated and freed (so the C heap
/// hands NaN-filled memory back to the next allocation). An operation that reads an uninitialised buffer then gives
/// non-finite or differing gradients. Usage: onednn-probe [--rounds 40] [--threads 1]
/// </summary>
public static class OneDnnProbe
{
    static Tensor Gradients(nn.Module<Tensor, Tensor> layer, Tensor x0)
    {
        using var scope = NewDisposeScope();
        layer.zero_grad();
        var x = x0.detach().clone().requires_grad_(true);
        layer.forward(x).square().sum().backward();
        var g = Environment.GetEnvironmentVariable("PROBE_PART") switch
        {
            "input" => x.grad!.flatten(),
            "weight" => layer.parameters().First().grad!.flatten(),
            "output" => layer.forward(x).flatten(),
            _ => torch.cat(new[] { x.grad!.flatten(), layer.parameters().First().grad!.flatten() }),
        };
        return g.detach().clone().MoveToOuterDisposeScope();
    }

    static void SetMkldnn(bool on) => Nuclei.Torch.Runtime.LibTorchContext.MkldnnEnabled = on;

    /// <summary>model-forward NAME: one network's sigmoid maps with oneDNN on and off, largest difference.</summary>
    public static int ModelForward(string[] args)
    {
        torch.set_num_threads(1);
        torch.manual_seed(0);
        using var net = Nuclei.Torch.Models.ModelRegistry.Create(args[0], new Nuclei.Torch.Models.ModelOptions { BaseWidth = 8 });
        net.eval();
        using var noGrad = no_grad();
        var x = torch.rand(1, 3, 64, 96);
        SetMkldnn(true);
        var on = torch.sigmoid(net.forward(x));
        SetMkldnn(false);
        var off = torch.sigmoid(net.forward(x));
        using var d = net.to(ScalarType.Float64);
        var exact = torch.sigmoid(net.forward(x.to(ScalarType.Float64))).to(ScalarType.Float32);
        Console.WriteLine($"{args[0]}: oneDNN vs native {(on - off).abs().max().item<float>():G3}, oneDNN vs float64 {(on - exact).abs().max().item<float>():G3}, native vs float64 {(off - exact).abs().max().item<float>():G3}");
        return 0;
    }

    public static int Run(string[] args)
    {
        int rounds = args.Contains("--rounds") ? int.Parse(args[Array.IndexOf(args, "--rounds") + 1]) : 40;
        int threads = args.Contains("--threads") ? int.Parse(args[Array.IndexOf(args, "--threads") + 1]) : 1;
        torch.set_num_threads(threads);
        Nuclei.Torch.Runtime.Nnpack.TurnOff();
        var cases = new List<(string Name, Func<nn.Module<Tensor, Tensor>> Make, long[] Input)>();
        foreach (int ic in new[] { 3, 8, 16, 64, 512 })
            foreach (int oc in new[] { 4, 8, 16, 24 })
                foreach (var (h, w) in new[] { (16, 16), (64, 96), (4, 6) })
                    cases.Add(($"conv3x3 {ic}->{oc} {h}x{w}", () => nn.Conv2d(ic, oc, 3, padding: 1), [1, ic, h, w]));
        foreach (var (name, make, shape) in cases)
        {
            torch.manual_seed(0);
            using var layer = make();
            using var x0 = torch.randn(shape);
            SetMkldnn(false);
            using var reference = Gradients(layer, x0);
            SetMkldnn(true);
            int bad = 0, differ = 0;
            double worst = 0;
            for (int r = 0; r < rounds; r++)
            {
                using (var poison = torch.full(new long[] { 4 << 20 }, float.NaN)) { }   // 16 MB of NaN, freed
                using (var poison2 = torch.full(new long[] { 1 << 16 }, float.NaN)) { }
                using var g = Gradients(layer, x0);
                if (!g.isfinite().all().item<bool>()) { bad++; continue; }
                double d = (g - reference).abs().max().item<float>();
                worst = Math.Max(worst, d);
                if (d > 1e-3 * Math.Max(1, reference.abs().max().item<float>())) differ++;
            }
            Console.WriteLine($"{name}: {bad} of {rounds} rounds non-finite, {differ} finite but off the native kernels' gradients (largest difference {worst:G3})");
        }
        return 0;
    }
}
