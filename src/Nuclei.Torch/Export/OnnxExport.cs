using Nuclei.Core.Output;
using Google.Protobuf;
using Nuclei.Core;
using Nuclei.Core.IO;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;
using Nuclei.Torch.Runtime;
using Onnx;

namespace Nuclei.Torch.Export;

/// <summary>
/// Writes a network as an ONNX model (opset <see cref="OnnxGraph.Opset"/>) that ONNX Runtime and other runtimes run on
/// any platform: input <c>image</c> [N, C, H, W] float32, already normalised as training normalised it (the
/// <see cref="OnnxMetadata"/> keys say how), H and W free but multiples of the network's size multiple; one output per
/// head, named after it ([N, 1, H, W]), holding the sigmoid probabilities that <see cref="Predictor"/> computes from the
/// logits and segmentation post-processes. Batch norm is folded into the convolutions it follows. Every module is
/// written by its emitter in <see cref="OnnxEmitters"/>; a network with any other module is refused.
/// </summary>
internal static class OnnxExport
{
    public const string InputName = "image";

    /// <summary>The one output of a model written with <c>logits: true</c>: [N, K, H, W], the heads in order, before the sigmoid.</summary>
    public const string LogitsName = "logits";

    /// <summary>The network (in eval mode, batch norm not yet folded: as <see cref="Checkpoint.Load"/> returns it) as an ONNX model.</summary>
    /// <param name="metadata">extra metadata_props (e.g. <see cref="OnnxMetadata.Of"/>'s); the network's own keys are always written</param>
    /// <param name="logits">one output <see cref="LogitsName"/> [N, K, H, W] instead of a sigmoid output per head: what
    /// <see cref="InferenceModel.Network"/> returns, for <see cref="OnnxNetworkRuntime"/> (the predictor takes the sigmoid itself)</param>
    /// <exception cref="NucleiInputException">the network has a module the export does not write (its type is named)</exception>
    public static ModelProto ToModel(SegmentationNet net, IReadOnlyDictionary<string, string>? metadata = null, bool logits = false)
    {
        if (net.training) throw new InvalidOperationException("export a network in eval mode (dropout off, batch norm's running statistics)");
        using var gate = FinalizerGate.Enter();   // see FinalizerGate: the weights are read through libtorch calls
        var g = new OnnxGraph(net);
        string input = g.Fresh(InputName);
        string last = OnnxEmitters.Emit(g, net, input);
        var heads = OutputNames(net);
        string[] outputs = logits ? [g.NamedNode("Identity", LogitsName, [last])] : HeadSigmoids(g, last, heads);
        ConvBatchNormFolding.Fold(g, outputs);

        var graph = g.ToProto(net.ModelName);
        graph.Input.Add(TensorInfo(input, "N", net.Options.InChannels, "H", "W"));
        if (logits) graph.Output.Add(TensorInfo(LogitsName, "N", heads.Length, "H", "W"));
        else foreach (var head in heads) graph.Output.Add(TensorInfo(head, "N", 1, "H", "W"));
        var model = new ModelProto
        {
            IrVersion = OnnxGraph.IrVersion,
            ProducerName = "nuclei",
            ProducerVersion = ToolVersion.Current,
            DocString = $"{net.ModelName}: input '{InputName}' [N, {net.Options.InChannels}, H, W] float32, normalised as the metadata nuclei.preprocessing says, " +
                        $"H and W multiples of {net.SizeMultiple}; outputs {string.Join(", ", heads)}: sigmoid probabilities [N, 1, H, W].",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxGraph.Opset });
        foreach (var (key, value) in OnnxMetadata.OfNetwork(net).Concat(metadata ?? new Dictionary<string, string>()).DistinctBy(kv => kv.Key))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    /// <summary>The logits split into one output per head, each through a sigmoid and named after its head.</summary>
    private static string[] HeadSigmoids(OnnxGraph g, string logits, string[] heads)
    {
        string[] parts = heads.Length == 1 ? [logits] : g.Node("Split", "heads", [logits], heads.Length, OnnxGraph.Int("axis", 1));
        for (int k = 0; k < heads.Length; k++) g.NamedNode("Sigmoid", heads[k], [parts[k]]);
        return heads;
    }

    /// <summary>What <see cref="ExportCheckpoint"/> wrote.</summary>
    public sealed record Summary(string Model, string Out, string Architecture, IReadOnlyList<string> Outputs, long Bytes, int Nodes, int Opset);

    /// <summary>
    /// Loads a checkpoint and writes it as ONNX to <paramref name="outPath"/> atomically, with its preprocessing and heads
    /// as metadata. Refuses to write over the checkpoint; a module the export does not write is an error naming the file.
    /// </summary>
    public static Summary ExportCheckpoint(string checkpointPath, string outPath)
    {
        if (Path.GetFullPath(outPath) == Path.GetFullPath(checkpointPath))
            throw new NucleiInputException(outPath, "--out must not be the input checkpoint (inputs are never overwritten)");
        var loaded = Checkpoint.Load(checkpointPath);
        using var net = loaded.Net;
        net.eval();
        ModelProto model;
        try
        {
            model = ToModel(net, OnnxMetadata.Of(loaded, new CheckpointSettings(loaded.Info.Configuration, checkpointPath)));
        }
        catch (NucleiInputException e) when (e.InputPath is null)
        {
            throw new NucleiInputException(checkpointPath, e.ProblemMessage, e);
        }
        AtomicFile.Write(outPath, tmp =>
        {
            using var file = File.Create(tmp);
            model.WriteTo(file);
        });
        return new Summary(checkpointPath, outPath, Architecture(net), OutputNames(net), new FileInfo(outPath).Length, model.Graph.Node.Count, OnnxGraph.Opset);
    }

    /// <summary>The model name with its encoder ("scamunet with encoder resnet18_imagenet"); a checkpoint may store the name without the suffix.</summary>
    private static string Architecture(SegmentationNet net) =>
        ModelRegistry.EncoderSuffixOf(net.ModelName) is null && net.Options.Encoder != "plain" ? $"{net.ModelName} with encoder {net.Options.Encoder}" : net.ModelName;

    /// <summary>One output per head, named as segmentation names the heads ("semantic", "contour", "marker").</summary>
    private static string[] OutputNames(SegmentationNet net) => net.Heads.Select(h => h.ToString().ToLowerInvariant()).ToArray();

    /// <summary>A float32 tensor's type; a dimension is a number or a name (a symbolic dimension, free at run time).</summary>
    private static ValueInfoProto TensorInfo(string name, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string param ? new TensorShapeProto.Types.Dimension { DimParam = param } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d) });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
