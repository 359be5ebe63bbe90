using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace Nuclei.Torch.Inference;

/// <summary>Where ONNX Runtime's execution provider is chosen (the ones this build can load, <see cref="Available"/>).</summary>
internal enum OnnxProvider
{
    /// <summary>ONNX Runtime's own CPU kernels (MLAS), in every ONNX Runtime package.</summary>
    Cpu,
}

/// <summary>
/// Sessions for <see cref="OnnxNetworkRuntime"/>: all graph optimisations (constant folding, node fusions, layout
/// transformations: "Graph optimizations in ONNX Runtime", onnxruntime.ai/docs/performance), as many intra-op threads as
/// libtorch uses (so <c>--threads</c> means the same for both runtimes; 0 there leaves libtorch's one per core), and the
/// execution provider <see cref="OnnxProvider"/> names. The build references Microsoft.ML.OnnxRuntime, which has the CPU
/// provider only; a GPU one (CUDA: Microsoft.ML.OnnxRuntime.Gpu, <c>SessionOptions.AppendExecutionProvider_CUDA</c>)
/// would be a new <see cref="OnnxProvider"/> appended in <see cref="Append"/> ("Execution Providers", onnxruntime.ai/docs/execution-providers).
/// </summary>
internal static class OnnxSessions
{
    /// <summary>The providers this build can load: the CPU one.</summary>
    public static IReadOnlyList<OnnxProvider> Available { get; } = [OnnxProvider.Cpu];

    /// <summary>A session over a serialised ONNX model on <paramref name="provider"/>.</summary>
    public static InferenceSession Create(byte[] model, OnnxProvider provider = OnnxProvider.Cpu)
    {
        using var options = new SessionOptions   // the session keeps what it needs of them
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = torch.get_num_threads(),
        };
        Append(options, provider);
        return new InferenceSession(model, options);
    }

    /// <summary>Appends <paramref name="provider"/> ahead of ONNX Runtime's CPU provider (which every session has last).</summary>
    static void Append(SessionOptions options, OnnxProvider provider)
    {
        switch (provider)
        {
            case OnnxProvider.Cpu: break;   // the provider every session has: nothing to append to options
            default: throw new ArgumentOutOfRangeException(nameof(provider), provider, $"this build runs ONNX on {string.Join(", ", Available)} only");
        }
    }
}
