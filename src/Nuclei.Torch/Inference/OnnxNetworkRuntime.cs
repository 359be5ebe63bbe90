using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Nuclei.Core;
using Nuclei.Torch.Export;
using Nuclei.Torch.Models;
using Nuclei.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using Nuclei.Core.Settings;

namespace Nuclei.Torch.Inference;

/// <summary>
/// ONNX Runtime's forward pass: the network exported in memory by <see cref="OnnxExport.ToModel"/> (the same export as
/// <c>nuclei export</c>, with the logits as its one output so that the predictor's sigmoid is the one applied) and run
/// in an <see cref="InferenceSession"/> from <see cref="OnnxSessions"/> (on the CPU, or a GPU through CUDA). Each call copies the batch out of libtorch and the
/// logits back in: a few megabytes, against the convolutions' seconds. float32 only: bfloat16 is refused.
/// </summary>
internal sealed class OnnxNetworkRuntime : INetworkRuntime
{
    public PreparedNetwork Prepare(SegmentationNet net, ComputePrecision precision, InferenceDevice device)
    {
        // auto means bf16 only where it is fast in libtorch; the ONNX model is float32, which auto then gives
        if (precision == ComputePrecision.Bf16)
            throw new NucleiInputException(null, $"{Setting.Precision} bf16 needs {Setting.Runtime} torch: the ONNX model computes in float32");
        var (session, used, fallback) = OnnxSessions.Create(OnnxExport.ToModel(net, logits: true).ToByteArray(), device);
        return new PreparedNetwork(x => Run(session, x), ComputePrecision.Fp32, session, used, fallback);
    }

    /// <summary>Logits [N, K, H, W] of a float32 batch [N, C, H, W], as a libtorch tensor (in the caller's dispose scope).</summary>
    static Tensor Run(InferenceSession session, Tensor x)
    {
        float[] values;
        using (var contiguous = x.contiguous()) values = contiguous.data<float>().ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(values, x.shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxExport.InputName], [input], [OnnxExport.LogitsName]);
        var logits = outputs[0];
        return torch.tensor(logits.GetTensorDataAsSpan<float>().ToArray(), logits.GetTensorTypeAndShape().Shape);
    }
}
