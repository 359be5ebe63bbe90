namespace Nuclei.Torch.Export;

/// <summary>
/// Folds each BatchNormalization that directly follows a Conv (and is that Conv's only reader) into the Conv's
/// weights, as <see cref="Models.BatchNormFolding"/> does for the TorchSharp network (same formula, in float64):
/// W' = W·γ/√(σ² + ε), b' = (b − μ)·γ/√(σ² + ε) + β. The file is smaller and every runtime skips the pass, whether or
/// not it fuses by itself. A batch norm after a ReLU (the "CAB" block order) stays a BatchNormalization node.
/// </summary>
internal static class ConvBatchNormFolding
{
    /// <summary>Rewrites <paramref name="g"/>'s nodes in place; returns how many batch norms were folded.</summary>
    public static int Fold(OnnxGraph g, IReadOnlyCollection<string> graphOutputs)
    {
        var readers = g.Nodes.SelectMany(n => n.Input).Concat(graphOutputs).GroupBy(v => v).ToDictionary(v => v.Key, v => v.Count());
        var producers = g.Nodes.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        int folded = 0;
        foreach (var bn in g.Nodes.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            if (!producers.TryGetValue(bn.Input[0], out var conv) || conv.OpType != "Conv" || readers[conv.Output[0]] != 1) continue;
            if (!g.Weights.ContainsKey(conv.Input[1]) || readers[conv.Input[1]] != 1) continue;   // a shared weight cannot change for one reader
            FoldInto(g, conv, bn);
            conv.Output[0] = bn.Output[0];
            g.Nodes.Remove(bn);
            folded++;
        }
        return folded;
    }

    private static void FoldInto(OnnxGraph g, Onnx.NodeProto conv, Onnx.NodeProto bn)
    {
        float eps = bn.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
        var gamma = g.Weights[bn.Input[1]].Values;
        var beta = g.Weights[bn.Input[2]].Values;
        var mean = g.Weights[bn.Input[3]].Values;
        var variance = g.Weights[bn.Input[4]].Values;
        var (shape, weight) = g.Weights[conv.Input[1]];
        int outChannels = (int)shape[0], perChannel = weight.Length / outChannels;
        float[] bias = conv.Input.Count > 2 ? g.Weights[conv.Input[2]].Values : new float[outChannels];

        var newWeight = new float[weight.Length];
        var newBias = new float[outChannels];
        for (int o = 0; o < outChannels; o++)
        {
            double scale = gamma[o] / Math.Sqrt(variance[o] + (double)eps);
            for (int i = 0; i < perChannel; i++) newWeight[o * perChannel + i] = (float)(weight[o * perChannel + i] * scale);
            newBias[o] = (float)((bias[o] - (double)mean[o]) * scale + beta[o]);
        }
        g.Weights[conv.Input[1]] = (shape, newWeight);
        string weightName = conv.Input[1];
        string biasName = g.Weight((weightName.EndsWith(".weight") ? weightName[..^".weight".Length] : weightName) + ".bias", [outChannels], newBias);
        if (conv.Input.Count > 2) conv.Input[2] = biasName;
        else conv.Input.Add(biasName);
    }
}
