using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Torch.Runtime;

/// <summary>
/// Keeps training off a fault of oneDNN (libtorch's CPU convolution library) on some CPUs: on an AMD EPYC Zen 5 the
/// input gradient of a 3×3 (or larger) convolution whose output channels are not a multiple of 16 comes out wrong,
/// read in part from memory the kernel never wrote (off by 0.4-3.9 against libtorch's native kernels and float64,
/// and NaN whenever that memory held NaN; forward passes, weight gradients, 1×1 convolutions and multiples of 16 are
/// right; bench/Nuclei.Bench onednn-probe shows each case). Standard networks of this project use multiples of 16,
/// narrow ones (a base width of 4 or 8) do not: for those, where a check of this CPU finds the fault, the training
/// runs on libtorch's native convolutions (libtorch's <c>torch.backends.mkldnn.enabled = False</c>), slower but right.
/// </summary>
internal static class OneDnnConvolutions
{
    static readonly Lazy<bool> Faulty = new(InputGradientIsWrong);

    /// <summary>
    /// For a network with a convolution the fault bites, and where this CPU has it: oneDNN off until the returned scope
    /// is disposed, said through <paramref name="info"/>; otherwise nothing changes.
    /// </summary>
    public static IDisposable AvoidIfFaulty(nn.Module net, Action<string> info)
    {
        int exposed = ExposedLayers(net);
        if (exposed == 0 || !LibTorchContext.Available || !Faulty.Value) return NoScope.Instance;
        info($"oneDNN computes wrong input gradients on this CPU for convolutions wider than 1×1 whose output channels are not a multiple of 16; this network has {exposed}, so it trains on libtorch's native convolutions (slower)");
        return new Scope();
    }

    /// <summary>Convolutions (weight [out, in, kh, kw]) wider than 1×1 with output channels not a multiple of 16.</summary>
    internal static int ExposedLayers(nn.Module net) => net.modules().OfType<TorchSharp.Modules.Conv2d>()
        .Count(c => c.weight is { } w && w.shape[0] % 16 != 0 && (w.shape[2] > 1 || w.shape[3] > 1));

    /// <summary>One small case: oneDNN's float32 input gradient against float64 (which libtorch computes natively).</summary>
    internal static bool InputGradientIsWrong()
    {
        using var scope = NewDisposeScope();
        using var gate = FinalizerGate.Enter();
        using var grad = enable_grad();   // whatever the calling thread's mode
        var generator = new Generator(0);
        var x = rand(new long[] { 2, 8, 16, 16 }, generator: generator);
        var w = rand(new long[] { 8, 8, 3, 3 }, generator: generator) - 0.5;
        Tensor InputGradient(ScalarType type)
        {
            var xi = x.to(type).detach().clone().requires_grad_(true);   // a leaf of its own, which keeps its gradient
            nn.functional.conv2d(xi, w.to(type), padding: [1, 1]).square().sum().backward();
            return xi.grad!.to(ScalarType.Float64);
        }
        var fast = InputGradient(ScalarType.Float32);
        var exact = InputGradient(ScalarType.Float64);
        double error = (fast - exact).abs().max().item<double>(), size = exact.abs().max().item<double>();
        return !(error <= 1e-4 * Math.Max(1, size));
    }

    sealed class Scope : IDisposable
    {
        readonly bool _before = LibTorchContext.MkldnnEnabled;
        bool _done;

        public Scope() => LibTorchContext.MkldnnEnabled = false;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            LibTorchContext.MkldnnEnabled = _before;
        }
    }

    sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();
        public void Dispose() { }
    }
}
