using System.Runtime.InteropServices;
using Nuclei.Core;
using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Nuclei.Core.Settings;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Runs one model or an ensemble on an image of any size and returns per-head probability maps
/// (sigmoid of the logits), averaged over test-time augmentation views and over the ensemble's models
/// (weighted). Each model gets its own input preparation (channels, normalisation, size multiple),
/// so models of different architectures can be mixed as long as their heads agree.
/// </summary>
internal sealed class Predictor : IDisposable
{
    private readonly IReadOnlyList<InferenceModel> _models;
    private readonly bool _ownsModels;

    public PredictionOptions Options { get; }

    /// <summary>Head names, in the first model's order.</summary>
    public IReadOnlyList<string> Heads { get; }

    public IReadOnlyList<InferenceModel> Models => _models;

    public Predictor(IReadOnlyList<InferenceModel> models, PredictionOptions? options = null, bool ownsModels = true)
    {
        if (models.Count == 0) throw new ArgumentException("a predictor needs at least one model", nameof(models));
        Heads = EnsembleHeads.Check(models);
        _models = models;
        _ownsModels = ownsModels;
        Options = options ?? new PredictionOptions();
    }

    /// <summary>Per-head probability maps of <paramref name="image"/> (same height and width).</summary>
    /// <param name="wholeImage">when <paramref name="image"/> is a part of a larger image: that image, whose size chooses the
    /// mode in auto mode and whose intensity range normalises models that normalise by per-image percentiles</param>
    /// <param name="progress">cancelled before, and told after, every forward pass; null: runs to the end unheard</param>
    public HeadProbabilities Predict(FloatImage image, string? source = null, WholeImage? wholeImage = null, InferenceProgress? progress = null)
    {
        progress ??= InferenceProgress.None;
        int plane = image.Height * image.Width;
        double totalWeight = _models.Sum(m => (double)m.Weight);
        if (!(totalWeight > 0)) throw new InvalidOperationException("ensemble weights must sum to a positive number");
        float[][]? sum = null;

        for (int m = 0; m < _models.Count; m++)
        {
            var model = _models[m];
            float[][] maps = PredictOne(model, image, source, wholeImage, progress.Part(m, _models.Count));
            if (_models.Count == 1) // its maps are the mean: no sums beside them (a plane per head less at the peak)
            {
                sum = Heads.Select(h => maps[IndexOf(model.Heads, h)]).ToArray();
                break;
            }
            if (sum is null)
            {
                sum = new float[Heads.Count][];
                for (int k = 0; k < sum.Length; k++) sum[k] = new float[plane];
            }
            float w = (float)(model.Weight / totalWeight);
            for (int k = 0; k < Heads.Count; k++)
            {
                int mk = IndexOf(model.Heads, Heads[k]);
                float[] src = maps[mk], dst = sum[k];
                for (int i = 0; i < plane; i++) dst[i] += w * src[i];
            }
        }
        var images = sum!.Select(d => new FloatImage(image.Height, image.Width, 1, d)).ToArray();
        return new HeadProbabilities(Heads, images);
    }

    private float[][] PredictOne(InferenceModel model, FloatImage image, string? source, WholeImage? wholeImage, InferenceProgress progress)
    {
        var mode = Options.Mode;
        if (mode == SizeMode.Auto)   // a part of an image is predicted as the whole image would be
            mode = (wholeImage?.Pixels ?? (long)image.Height * image.Width) > Options.AutoTileAbovePixels ? SizeMode.Tile : SizeMode.Pad;
        if (mode == SizeMode.Pad && (long)image.Height * image.Width > Options.MaxPadPixels)
            throw new NucleiInputException(source,
                $"image is {image.Width}x{image.Height}; pad mode predicts it in one pass, which needs too much memory " +
                $"(limit {Options.MaxPadPixels / 1_000_000.0:0.#} megapixels). Use {Setting.Mode} tile (or auto).");

        var adapted = InputPreparation.AdaptChannels(image, model.InChannels);
        float[] planar = wholeImage?.Range is { } range && model.Normalization is { PerImagePercentile: true } n
            ? n.ToPlanar(adapted, range) : model.Normalize(adapted);
        if (planar.Length != adapted.Data.Length)
            throw new InvalidOperationException($"{model.Source}: normalisation returned {planar.Length} values for {adapted.Data.Length}");
        // a grey-input network's planes are all its luminance: the border is mapped from that
        var borderSource = Options.Border is PadBorder.Black or PadBorder.White && model.Normalization is { Grey: true } ? ColorTransforms.ToGray(adapted) : adapted;
        float[]? border = Options.Border switch
        {
            PadBorder.Black => BorderValues.Normalized(borderSource, planar, 0f),
            PadBorder.White => BorderValues.Normalized(borderSource, planar, 1f),
            PadBorder.Reflect or PadBorder.Replicate => null,   // padded from the image itself (Pad)
            _ => throw new ArgumentOutOfRangeException(nameof(Options.Border), Options.Border, null),
        };

        using var gate = FinalizerGate.Enter();   // see FinalizerGate: no finalizer may free a Scalar mid-call
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        // the planar array itself, pinned, is the tensor's storage: torch.tensor would copy it, one more image-sized buffer
        var input = torch.from_array(planar).view(1, model.InChannels, image.Height, image.Width);
        var borderValues = border is null ? null : torch.tensor(border, new long[] { 1, model.InChannels, 1, 1 });
        return mode switch
        {
            SizeMode.Resize => PredictResized(model, input, image, source, progress),
            SizeMode.Pad => PredictPadded(model, input, borderValues, image, progress),
            SizeMode.Tile => PredictTiled(model, input, borderValues, image, wholeImage, progress),
            _ => throw new ArgumentOutOfRangeException(nameof(Options.Mode)),
        };
    }

    /// <summary>Resize to TrainingSize², predict, resize the probabilities back (samuelschen/DSB2018's default).</summary>
    private float[][] PredictResized(InferenceModel model, Tensor input, FloatImage image, string? source, InferenceProgress progress)
    {
        int size = model.TrainingSize;
        double factor = Math.Max(image.Height, image.Width) / (double)size;
        if (factor > Options.MaxResizeFactor)
            throw new NucleiInputException(source,
                $"image is {image.Width}x{image.Height}; resize mode would shrink it {factor:0.#}x to the model's training width {size} " +
                $"and lose the nuclei (limit {Options.MaxResizeFactor}x). Use {Setting.Mode} tile (or pad) for large images.");
        var probs = PredictBatch(model, Resample(input, size, size), progress);      // [1, K, size, size]
        var back = Resample(probs, image.Height, image.Width).clamp(0, 1);
        return ToPlanes(back, model.Heads.Count, image.Height * image.Width);
    }

    /// <summary>Original size padded on the bottom/right to the size multiple, then cropped back.</summary>
    private float[][] PredictPadded(InferenceModel model, Tensor input, Tensor? borderValues, FloatImage image, InferenceProgress progress)
    {
        int m = model.SizeMultiple;
        int ph = TileLayout.RoundUp(image.Height, m), pw = TileLayout.RoundUp(image.Width, m);
        var probs = PredictBatch(model, Pad(input, borderValues, ph, pw), progress);
        var cropped = probs.narrow(2, 0, image.Height).narrow(3, 0, image.Width);
        return ToPlanes(cropped, model.Heads.Count, image.Height * image.Width);
    }

    /// <summary>
    /// Overlapping tiles, a few of one size at a time, accumulated into float arrays with a smooth weight and divided by
    /// the summed weight. The tiles are the whole image's tile grid (<see cref="TileLayout.Along"/>): a part of a larger
    /// image gets its seams where the whole image has them. Images smaller than a tile are padded up to one tile first.
    /// </summary>
    private float[][] PredictTiled(InferenceModel model, Tensor input, Tensor? borderValues, FloatImage image, WholeImage? wholeImage, InferenceProgress progress)
    {
        int m = model.SizeMultiple;
        int tile = TileLayout.RoundUp(Math.Max(Options.TileSize, m), m);
        int overlap = Math.Min(Options.TileOverlap, tile / 2);
        var whole = wholeImage ?? new WholeImage(image.Height, image.Width, null);
        var (rows, ph) = TileLayout.Along(whole.Height, whole.PartTop, image.Height, tile, overlap, m);
        var (columns, pw) = TileLayout.Along(whole.Width, whole.PartLeft, image.Width, tile, overlap, m);
        var padded = Pad(input, borderValues, ph, pw);

        var sums = new TileSums(model.Heads.Count, ph, pw);
        var batches = SameSizeBatches(rows, columns, Math.Max(1, Options.TileBatch));
        for (int b = 0; b < batches.Count; b++)
            PredictTiles(model, padded, batches[b], sums, progress.Part(b, batches.Count));
        return sums.WeightedMean(image.Height, image.Width);
    }

    /// <summary>Adds the probabilities [B, K, th, tw] of one batch of same-size tiles of <paramref name="padded"/> to <paramref name="sums"/>.</summary>
    private void PredictTiles(InferenceModel model, Tensor padded, (TileSpan Row, TileSpan Column)[] group, TileSums sums, InferenceProgress progress)
    {
        using var tileScope = torch.NewDisposeScope();
        int th = group[0].Row.Length, tw = group[0].Column.Length;
        var crops = group.Select(t => padded.narrow(2, t.Row.Start, th).narrow(3, t.Column.Start, tw)).ToArray();
        var probs = PredictBatch(model, torch.cat(crops, 0), progress).contiguous();   // [B, K, th, tw]
        // read where libtorch wrote them: a managed copy per batch would be garbage piling up over the whole image
        sums.Add(group, MemoryMarshal.Cast<byte, float>(probs.bytes));
    }

    /// <summary>Per-head sums of tile probabilities times the tiles' smooth weights, and the summed weight, over the padded image.</summary>
    private sealed class TileSums
    {
        private readonly int _heads, _width;
        private readonly float[][] _acc;
        private readonly float[] _weightSum;

        public TileSums(int heads, int paddedHeight, int paddedWidth)
        {
            _heads = heads;
            _width = paddedWidth;
            long paddedPixels = (long)paddedHeight * paddedWidth;
            _acc = new float[heads][];
            for (int k = 0; k < heads; k++) _acc[k] = new float[paddedPixels];
            _weightSum = new float[paddedPixels];
        }

        /// <param name="values">the batch's probabilities [B, K, th, tw], tiles in <paramref name="group"/>'s order</param>
        public void Add((TileSpan Row, TileSpan Column)[] group, ReadOnlySpan<float> values)
        {
            int th = group[0].Row.Length, tw = group[0].Column.Length;
            for (int i = 0; i < group.Length; i++)
            {
                var (ry, cx) = group[i];
                for (int y = 0; y < th; y++)
                {
                    long row = (long)(ry.Start + y) * _width + cx.Start;
                    for (int x = 0; x < tw; x++)
                    {
                        float w = ry.Weights[y] * cx.Weights[x];
                        if (w == 0) continue;
                        _weightSum[row + x] += w;
                        for (int k = 0; k < _heads; k++)
                            _acc[k][row + x] += w * values[((i * _heads + k) * th + y) * tw + x];
                    }
                }
            }
        }

        /// <summary>
        /// Each head's weighted mean over the top-left <paramref name="height"/> × <paramref name="width"/> (the image
        /// without its padding); 0 where no tile weighs. Computed in place in the sums (a pixel's mean goes no later in
        /// the array than its sum), which become the result when nothing was padded: no second set of planes.
        /// </summary>
        public float[][] WeightedMean(int height, int width)
        {
            var result = new float[_heads][];
            for (int k = 0; k < _heads; k++)
            {
                var acc = _acc[k];
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                    {
                        long i = (long)y * _width + x;
                        acc[y * width + x] = _weightSum[i] > 0 ? acc[i] / _weightSum[i] : 0f;
                    }
                result[k] = acc.Length == height * width ? acc : acc[..(height * width)];
                _acc[k] = null!; // the padded sums, once copied, are garbage
            }
            return result;
        }
    }

    /// <summary>Tiles row by row, grouped into batches of at most <paramref name="batch"/> consecutive tiles of one size (a batch is one tensor).</summary>
    private static List<(TileSpan Row, TileSpan Column)[]> SameSizeBatches(TileSpan[] rows, TileSpan[] columns, int batch)
    {
        var batches = new List<(TileSpan Row, TileSpan Column)[]>();
        var current = new List<(TileSpan Row, TileSpan Column)>();
        foreach (var r in rows)
            foreach (var c in columns)
            {
                if (current.Count == batch || (current.Count > 0 && (current[0].Row.Length != r.Length || current[0].Column.Length != c.Length)))
                {
                    batches.Add(current.ToArray());
                    current.Clear();
                }
                current.Add((r, c));
            }
        if (current.Count > 0) batches.Add(current.ToArray());
        return batches;
    }

    /// <summary>Sigmoid probabilities [N, K, H, W] of a normalised batch, averaged over the TTA views.</summary>
    /// <param name="progress">checked before each view (a forward pass), told after it</param>
    private Tensor PredictBatch(InferenceModel model, Tensor input, InferenceProgress progress)
    {
        var views = Options.Transforms is { Count: > 0 } t ? t : new[] { TtaTransform.Identity };
        Tensor? sum = null;
        for (int v = 0; v < views.Count; v++)
        {
            progress.ThrowIfCancelled();
            var view = views[v];
            using var viewScope = torch.NewDisposeScope();
            // contiguous: rotated/transposed views are strided, and convolutions take a slow path on them
            var logits = model.Network(TestTimeAugmentation.Apply(input, view).contiguous());
            if (logits.shape.Length != 4 || logits.shape[1] != model.Heads.Count)
                throw new InvalidOperationException(
                    $"{model.Source}: network returned shape [{string.Join(",", logits.shape)}], expected [N, {model.Heads.Count}, H, W]");
            var probs = torch.sigmoid(TestTimeAugmentation.Invert(logits, view));
            sum = sum is null ? probs.MoveToOuterDisposeScope() : sum.add_(probs);
            progress.Report((v + 1.0) / views.Count);
        }
        return sum!.div_(views.Count);
    }

    /// <summary>Pads a normalised batch on the bottom/right; constant borders take per-channel normalised values.</summary>
    private Tensor Pad(Tensor x, Tensor? borderValues, int height, int width)
    {
        long h = x.shape[2], w = x.shape[3];
        long padBottom = height - h, padRight = width - w;
        if (padBottom == 0 && padRight == 0) return x.alias();
        var pads = new long[] { 0, padRight, 0, padBottom };
        if (borderValues is not null)
        {
            // zero padding plus (a mask of the border) × (the value of each channel)
            var mask = F.pad(torch.zeros(1, 1, h, w), pads, PaddingModes.Constant, 1);
            return F.pad(x, pads, PaddingModes.Constant, 0) + mask * borderValues;
        }
        // Reflection needs the image to be longer than the border it mirrors; tiny images get the edge repeated.
        bool reflect = Options.Border == PadBorder.Reflect && padBottom < h && padRight < w;
        return F.pad(x, pads, reflect ? PaddingModes.Reflect : PaddingModes.Replicate);
    }

    private static Tensor Resample(Tensor x, int height, int width)
    {
        bool shrinking = height < x.shape[2] || width < x.shape[3];
        return F.interpolate(x, new long[] { height, width }, mode: InterpolationMode.Bilinear,
            align_corners: false, antialias: shrinking);
    }

    private static float[][] ToPlanes(Tensor probs, int heads, int plane)
    {
        float[] all = probs.contiguous().data<float>().ToArray();
        var planes = new float[heads][];
        for (int k = 0; k < heads; k++)
        {
            planes[k] = new float[plane];
            Array.Copy(all, (long)k * plane, planes[k], 0, plane);
        }
        return planes;
    }

    private static int IndexOf(IReadOnlyList<string> heads, string head)
    {
        for (int i = 0; i < heads.Count; i++)
            if (string.Equals(heads[i], head, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    public void Dispose()
    {
        if (_ownsModels) foreach (var m in _models) m.Dispose();
    }
}
