using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Torch.Export;

/// <summary>
/// An ONNX graph being written from a module tree: nodes in execution order, float32 weights (kept as arrays until
/// <see cref="ToProto"/>, so <see cref="ConvBatchNormFolding"/> can still rewrite them), and the dotted path of every
/// module ("encoder.layer1.0.conv1", as in the state dict), which names the nodes and weights a module writes.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>The ONNX operator set written (Resize, Shape with start/end, BatchNormalization as in opset 15+).</summary>
    public const int Opset = 17;

    /// <summary>The IR version that goes with opset 17 (onnx/docs/Versioning.md).</summary>
    public const int IrVersion = 8;

    private readonly Dictionary<nn.Module, string> paths = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> names = new();
    private int counter;

    public OnnxGraph(nn.Module root)
    {
        paths[root] = "";
        foreach (var (name, module) in root.named_modules()) paths.TryAdd(module, name);
    }

    public List<NodeProto> Nodes { get; } = new();

    /// <summary>Float32 initializers by name: shape and values (row-major).</summary>
    public Dictionary<string, (long[] Shape, float[] Values)> Weights { get; } = new();

    private readonly Dictionary<string, long[]> int64Constants = new();

    /// <summary>The module's dotted path in the tree ("" for the root); "?" for a module outside it.</summary>
    public string PathOf(nn.Module module) => paths.GetValueOrDefault(module, "?");

    /// <summary>The registered child <paramref name="name"/> of <paramref name="parent"/> (a field name, or "0", "1", … in a list).</summary>
    public static nn.Module Child(nn.Module parent, string name) =>
        OptionalChild(parent, name) ?? throw new InvalidOperationException($"{parent.GetType().Name} has no child module '{name}'");

    public static nn.Module? OptionalChild(nn.Module parent, string name) =>
        parent.named_children().Where(c => c.name == name).Select(c => c.module).FirstOrDefault();

    /// <summary>The children of a ModuleList child, in order.</summary>
    public static nn.Module[] ListChild(nn.Module parent, string name) => Child(parent, name).children().ToArray();

    /// <summary>A node with one output; returns the output's name. An empty input name is an omitted optional input.</summary>
    public string Node(string op, nn.Module owner, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        Node(op, PathOf(owner), inputs, 1, attributes)[0];

    public string[] Node(string op, string scope, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        string name = Fresh((scope.Length == 0 ? "" : scope + "/") + op);
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        var results = Enumerable.Range(0, outputs).Select(i => outputs == 1 ? name : Fresh($"{name}:{i}")).ToArray();
        node.Output.AddRange(results);
        node.Attribute.AddRange(attributes);
        Nodes.Add(node);
        return results;
    }

    /// <summary>A node with one output of a chosen name (a graph output's).</summary>
    public string NamedNode(string op, string output, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh(output + "/" + op) };
        node.Input.AddRange(inputs);
        node.Output.Add(Fresh(output) == output ? output : throw new InvalidOperationException($"the name '{output}' is taken"));
        node.Attribute.AddRange(attributes);
        Nodes.Add(node);
        return output;
    }

    /// <summary>A parameter or buffer as a float32 initializer named <paramref name="name"/>.</summary>
    public string Weight(string name, Tensor tensor)
    {
        using var values = tensor.detach().cpu().to(ScalarType.Float32).contiguous();
        return Weight(name, tensor.shape, values.data<float>().ToArray());
    }

    public string Weight(string name, long[] shape, float[] values)
    {
        name = Fresh(name);
        Weights[name] = (shape, values);
        return name;
    }

    /// <summary>An int64 initializer (indices, shapes).</summary>
    public string Int64s(string name, params long[] values)
    {
        name = Fresh(name);
        int64Constants[name] = values;
        return name;
    }

    /// <summary>A name not used yet, based on <paramref name="wanted"/>.</summary>
    public string Fresh(string wanted)
    {
        string name = wanted;
        while (!names.Add(name)) name = $"{wanted}_{++counter}";
        return name;
    }

    /// <summary>The graph, its initializers (only those still read by a node) as raw little-endian data.</summary>
    public GraphProto ToProto(string graphName)
    {
        var graph = new GraphProto { Name = graphName };
        graph.Node.AddRange(Nodes);
        var used = Nodes.SelectMany(n => n.Input).ToHashSet();
        foreach (var (name, (shape, values)) in Weights.Where(w => used.Contains(w.Key)))
            graph.Initializer.Add(Tensor(name, TensorProto.Types.DataType.Float, shape, MemoryMarshal.AsBytes(values.AsSpan())));
        foreach (var (name, values) in int64Constants.Where(w => used.Contains(w.Key)))
            graph.Initializer.Add(Tensor(name, TensorProto.Types.DataType.Int64, [values.Length], MemoryMarshal.AsBytes(values.AsSpan())));
        return graph;
    }

    // raw_data is little-endian (onnx.proto, TensorProto.raw_data); .NET on every supported platform is too.
    private static TensorProto Tensor(string name, TensorProto.Types.DataType type, long[] shape, ReadOnlySpan<byte> data)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
        t.Dims.AddRange(shape);
        return t;
    }

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Text(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };
}
