using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;
using Nuclei.Core;
using Nuclei.Core.Settings;
using Nuclei.Torch.Runtime;
using TorchSharp;

namespace Nuclei.Torch.Inference;

/// <summary>ONNX Runtime's execution providers that a session may be given.</summary>
internal enum OnnxProvider
{
    /// <summary>ONNX Runtime's own CPU kernels (MLAS), in every ONNX Runtime package.</summary>
    Cpu,
    /// <summary>NVIDIA GPUs through CUDA and cuDNN, in the GPU packages (Microsoft.ML.OnnxRuntime.Gpu.Linux/.Windows) only.</summary>
    Cuda,
}

/// <summary>A session, the device it computes on, and, when a GPU was asked for and not had, the one line saying why.</summary>
internal sealed record OnnxSession(InferenceSession Session, InferenceDevice Device, string? Fallback);

/// <summary>
/// Sessions for <see cref="OnnxNetworkRuntime"/>: all graph optimisations (constant folding, node fusions, layout
/// transformations: "Graph optimizations in ONNX Runtime", onnxruntime.ai/docs/performance), as many intra-op threads as
/// libtorch uses (so <c>--threads</c> means the same for both runtimes; 0 there leaves libtorch's one per core), and the
/// provider the device asks for. The CUDA provider is in ONNX Runtime's GPU packages only (a build with
/// <c>-p:NucleiGpu=true</c>) and needs CUDA 13 and cuDNN 9 on the machine ("CUDA Execution Provider",
/// onnxruntime.ai/docs/execution-providers/CUDA-ExecutionProvider.html); where any of it is missing, auto falls back to
/// the CPU and cuda is an error, both with ONNX Runtime's reason.
/// </summary>
internal static class OnnxSessions
{
    const string CudaProviderName = "CUDAExecutionProvider";

    /// <summary>A session over a serialised ONNX model on <paramref name="device"/> (auto: CUDA where it can be had, else the CPU).</summary>
    /// <exception cref="NucleiInputException"><paramref name="device"/> is cuda and the CUDA provider cannot be had</exception>
    public static OnnxSession Create(byte[] model, InferenceDevice device)
    {
        if (device == InferenceDevice.Cpu) return new(CreateOn(model, OnnxProvider.Cpu), InferenceDevice.Cpu, null);
        string? unavailable = CudaMissingFromBuild();
        if (unavailable is null)
        {
            try { return new(CreateOn(model, OnnxProvider.Cuda), InferenceDevice.Cuda, null); }
            catch (OnnxRuntimeException e) { unavailable = Reason(e); }
        }
        if (device == InferenceDevice.Cuda)
            throw new NucleiInputException(null, $"{Setting.Device} cuda: ONNX Runtime's CUDA provider is unavailable ({unavailable}); {Setting.Device} auto uses the CPU instead");
        return new(CreateOn(model, OnnxProvider.Cpu), InferenceDevice.Cpu, $"onnx: CUDA provider unavailable ({unavailable}); using CPU");
    }

    /// <summary>Why this build cannot use CUDA at all (its ONNX Runtime package has no CUDA provider), or null when it has one.</summary>
    static string? CudaMissingFromBuild() =>
        OrtEnv.Instance().GetAvailableProviders().Contains(CudaProviderName) ? null
            : "this build has ONNX Runtime's CPU package; a build with -p:NucleiGpu=true has the GPU one";

    // "[ErrorCode:…] /path/file.cc:123 function [ONNXRuntimeError] : 1 : FAIL : what happened": the part after the code
    static readonly Regex OrtProblem = new(@"\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*\w+\s*:\s*(.*)$", RegexOptions.Singleline);

    /// <summary>ONNX Runtime's reason on one line, without its source location (e.g. which CUDA library did not load).</summary>
    static string Reason(OnnxRuntimeException e)
    {
        var m = OrtProblem.Match(e.Message);
        string text = (m.Success ? m.Groups[1].Value : e.Message).Trim();
        return UntrustedText.Clean(Regex.Replace(text, @"\s+", " "), 240);
    }

    static InferenceSession CreateOn(byte[] model, OnnxProvider provider)
    {
        using var options = new SessionOptions   // the session keeps what it needs of them
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = torch.get_num_threads(),
        };
        if (provider == OnnxProvider.Cuda) AppendCuda(options);
        return new InferenceSession(model, options);
    }

    /// <summary>
    /// The CUDA provider ahead of the CPU one (which every session has last, for any node CUDA lacks), on GPU 0, with
    /// TF32 off so that convolutions keep float32's mantissa as on the CPU (the provider turns TF32 on by default on
    /// Ampere and later GPUs).
    /// </summary>
    static void AppendCuda(SessionOptions options)
    {
        using var cuda = new OrtCUDAProviderOptions();
        cuda.UpdateOptions(new Dictionary<string, string> { ["device_id"] = "0", ["use_tf32"] = "0" });
        options.AppendExecutionProvider_CUDA(cuda);
    }
}
