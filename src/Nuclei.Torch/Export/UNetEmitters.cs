using Nuclei.Torch.Models;
using static Nuclei.Torch.Export.OnnxEmitters;
using static Nuclei.Torch.Export.OnnxGraph;

namespace Nuclei.Torch.Export;

/// <summary>The zoo's U-Net parts and DCAN, written as their forward passes are (see each module's forward).</summary>
internal static class UNetEmitters
{
    /// <summary>Two convolution blocks, then the dropout (the identity at inference).</summary>
    public static string Level(OnnxGraph g, UNetLevel level, string x)
    {
        x = Emit(g, Child(level, "block2"), Emit(g, Child(level, "block1"), x));
        return OptionalChild(level, "dropout") is { } dropout ? Emit(g, dropout, x) : x;
    }

    /// <summary>The blocks one after another, their outputs summed.</summary>
    public static string Cascade(OnnxGraph g, DilatedCascade cascade, string x)
    {
        string current = x, sum = "";
        foreach (var block in ListChild(cascade, "blocks"))
        {
            current = Emit(g, block, current);
            sum = sum.Length == 0 ? current : g.Node("Add", cascade, [sum, current]);
        }
        return OptionalChild(cascade, "dropout") is { } dropout ? Emit(g, dropout, sum) : sum;
    }

    /// <summary>Levels, each one's output a skip and max-pooled into the next; the bottleneck last.</summary>
    public static string?[] PlainEncoder(OnnxGraph g, PlainEncoder encoder, string x)
    {
        var levels = ListChild(encoder, "levels");
        var pool = Child(encoder, "pool");
        var features = new string?[levels.Length + 1];
        for (int l = 0; l < levels.Length; l++)
        {
            features[l] = Emit(g, levels[l], x);
            x = Emit(g, pool, features[l]!);
        }
        features[^1] = Emit(g, Child(encoder, "bottleneck"), x);
        return features;
    }

    /// <summary>The stem (the full-resolution skip), pixel unshuffle, then as <see cref="PlainEncoder"/>.</summary>
    public static string?[] LiteEncoder(OnnxGraph g, LiteEncoder encoder, string x)
    {
        var levels = ListChild(encoder, "levels");
        var pool = Child(encoder, "pool");
        var features = new string?[levels.Length + 2];
        features[0] = Emit(g, Child(encoder, "stem"), x);
        x = PixelUnshuffle(g, encoder, features[0]!, encoder.SkipChannels[0]);
        for (int l = 1; l <= levels.Length; l++)
        {
            features[l] = Emit(g, levels[l - 1], x);
            x = Emit(g, pool, features[l]!);
        }
        features[^1] = Emit(g, Child(encoder, "bottleneck"), x);
        return features;
    }

    /// <summary>
    /// PyTorch's pixel_unshuffle(x, 2) puts input channel c's 2×2 offset (i, j) at output channel 4c + 2i + j; ONNX's
    /// SpaceToDepth (https://onnx.ai/onnx/operators/onnx__SpaceToDepth.html) at (2i + j)·C + c. A Gather along the
    /// channels reorders the one into the other, for any height and width.
    /// </summary>
    private static string PixelUnshuffle(OnnxGraph g, LiteEncoder owner, string x, long channels)
    {
        string blocks = g.Node("SpaceToDepth", owner, [x], Int("blocksize", 2));
        var order = new long[4 * channels];
        for (long c = 0; c < channels; c++)
            for (long b = 0; b < 4; b++) order[4 * c + b] = b * channels + c;
        return g.Node("Gather", owner, [blocks, g.Int64s(g.PathOf(owner) + ".unshuffle_order", order)], Int("axis", 1));
    }

    /// <summary>
    /// Per level, deepest first: transposed convolution, concatenation with the skip (where the encoder has one), the
    /// level's blocks; then the 1×1 head. The module's size matching (reflect padding) is not written: for the input
    /// sizes the export admits (multiples of the size multiple) the upsampled map already has its skip's size.
    /// </summary>
    public static string Decoder(OnnxGraph g, UNetDecoder decoder, string?[] features)
    {
        var ups = ListChild(decoder, "ups");
        var levels = ListChild(decoder, "levels");
        int n = features.Length - 1;
        string x = features[n]!;
        for (int i = 0; i < ups.Length; i++)
        {
            string up = Emit(g, ups[i], x);
            string? skip = features[n - 1 - i];
            string merged = skip is null ? up : g.Node("Concat", decoder, [up, skip], Int("axis", 1));
            x = Emit(g, levels[i], merged);
        }
        return Emit(g, Child(decoder, "head"), x);
    }

    /// <summary>The encoder once, each decoder on its features, their logits concatenated along the channels.</summary>
    public static string MultiHead(OnnxGraph g, MultiHeadUNet net, string x)
    {
        var features = EmitMany(g, Child(net, "encoder"), x);
        var logits = ListChild(net, "decoders").Select(d => EmitMany(g, d, features)[0]!).ToArray();
        return logits.Length == 1 ? logits[0] : g.Node("Concat", net, logits, Int("axis", 1));
    }

    /// <summary>
    /// Per head, each tapped map's classifier, resized to the input's height and width and summed. Resize
    /// (https://onnx.ai/onnx/operators/onnx__Resize.html) with mode linear and coordinate_transformation_mode
    /// pytorch_half_pixel is PyTorch's bilinear interpolation with align_corners false.
    /// </summary>
    public static string Dcan(OnnxGraph g, Dcan net, string x)
    {
        var features = EmitMany(g, Child(net, "encoder"), x);
        string inputSize = g.Node("Shape", net, [x], Int("start", 2));   // [H, W]
        var heads = new List<string>();
        foreach (var classifiers in ListChild(net, "classifiers"))
        {
            var perTap = classifiers.children().ToArray();
            string sum = "";
            for (int i = 0; i < perTap.Length; i++)
            {
                string score = Emit(g, perTap[i], features[net.Taps[i]]!);
                string batchAndChannels = g.Node("Shape", net, [score], Int("start", 0), Int("end", 2));
                string sizes = g.Node("Concat", net, [batchAndChannels, inputSize], Int("axis", 0));
                string up = g.Node("Resize", net, [score, "", "", sizes],
                    Text("mode", "linear"), Text("coordinate_transformation_mode", "pytorch_half_pixel"));
                sum = sum.Length == 0 ? up : g.Node("Add", net, [sum, up]);
            }
            heads.Add(sum);
        }
        return heads.Count == 1 ? heads[0] : g.Node("Concat", net, heads, Int("axis", 1));
    }
}
