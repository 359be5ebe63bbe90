using Nuclei.Torch.Runtime;
using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Inference;

/// <summary>Segmenting a flipped or rotated image gives the flipped or rotated labels (same objects, any numbering).</summary>
// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public class EquivarianceTests
{
    public static IEnumerable<object[]> Views() => TestTimeAugmentation.Standard.Skip(1).Select(t => new object[] { t.ToString() });

    /// <summary>
    /// A deterministic stand-in for a trained model: body where the image is bright, markers at the bright
    /// centres, no contours (3×3 smoothing so it is not merely pointwise).
    /// </summary>
    private static InferenceModel BrightBlobNet()
    {
        var conv = nn.Conv2d(1, 3, 3, padding: 1);
        using (torch.no_grad())
        {
            conv.weight!.zero_();
            conv.weight[0, 0].fill_(12f / 9); conv.weight[2, 0].fill_(12f / 9);
            conv.bias!.copy_(torch.tensor(new[] { -12f * 0.45f, -10f, -12f * 0.7f }));
        }
        conv.eval();
        return new InferenceModel(OneDnnConvolutions.Guarded(x => conv.forward(x), OneDnnConvolutions.ExposedLayers(conv)), new[] { HeadProbabilities.Semantic, HeadProbabilities.Contour, HeadProbabilities.Marker },
            1, 8, 64, null, "bright-blobs", owned: conv);
    }

    private static FloatImage SeparatedBlobs()
    {
        var img = new FloatImage(48, 64, 1);
        var centres = new[] { (10, 12, 5.0), (30, 20, 7.0), (12, 45, 6.0), (36, 50, 4.0), (24, 34, 3.5) };
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 64; x++)
            {
                double v = 0.05;
                foreach (var (cy, cx, r) in centres)
                    v = Math.Max(v, Math.Exp(-((y - cy) * (y - cy) + (x - cx) * (x - cx)) / (r * r)));
                img[y, x] = (float)v;
            }
        return img;
    }

    /// <summary>True when the two label maps describe the same objects (a one-to-one relabelling).</summary>
    private static bool SameObjects(LabelImage a, LabelImage b)
    {
        if (a.Height != b.Height || a.Width != b.Width) return false;
        var ab = new Dictionary<int, int>(); var ba = new Dictionary<int, int>();
        for (int i = 0; i < a.Data.Length; i++)
        {
            int la = a.Data[i], lb = b.Data[i];
            if ((la == 0) != (lb == 0)) return false;
            if (la == 0) continue;
            if (ab.TryGetValue(la, out int x) && x != lb) return false;
            if (ba.TryGetValue(lb, out int y) && y != la) return false;
            ab[la] = lb; ba[lb] = la;
        }
        return true;
    }

    private static LabelImage TransformLabels(LabelImage labels, TtaTransform t)
    {
        var asImage = new FloatImage(labels.Height, labels.Width, 1, labels.Data.Select(v => (float)v).ToArray());
        var moved = SyntheticModels.Transform(asImage, t);
        return new LabelImage(moved.Height, moved.Width, moved.Data.Select(v => (int)v).ToArray());
    }

    [Theory]
    [MemberData(nameof(Views))]
    public void Labels_of_a_transformed_image_are_the_transformed_labels(string view)
    {
        var t = Enum.Parse<TtaTransform>(view);
        var image = SeparatedBlobs();
        using var model = BrightBlobNet();
        using var predictor = new Predictor(new[] { model }, new PredictionOptions { Mode = SizeMode.Pad, Transforms = TestTimeAugmentation.Standard });
        using var segmenter = new ModelSegmenter(predictor, new PartitionOptions());
        var labels = segmenter.Segment(image);
        Assert.Equal(5, labels.MaxLabel());
        var ofTransformed = segmenter.Segment(SyntheticModels.Transform(image, t));
        Assert.True(SameObjects(TransformLabels(labels, t), ofTransformed), $"{t}: labels are not the transformed labels");
    }

    [SkippableTheory]
    [InlineData(nameof(TtaTransform.FlipHorizontal))]
    [InlineData(nameof(TtaTransform.Rotate90))]
    public void With_the_bundled_model_labels_follow_the_image(string view)
    {
        var t = Enum.Parse<TtaTransform>(view);
        string? model = DefaultModel.Locate(TestData.RepoRoot);
        Skip.If(model is null, "models/default.nck not present yet; the synthetic-network version of this test always runs");
        string sample = Directory.Exists(TestData.SamplesDir)
            ? Directory.EnumerateFiles(TestData.SamplesDir, "*.png", SearchOption.AllDirectories)
                .FirstOrDefault(p => !p.Contains("mask", StringComparison.OrdinalIgnoreCase) && !p.Contains(".labels", StringComparison.OrdinalIgnoreCase)) ?? ""
            : "";
        Skip.If(sample == "", "no sample image under samples/");
        var image = ImageIO.ReadImage(sample);
        // keep it small: a 128x128 crop
        int h = Math.Min(128, image.Height), w = Math.Min(128, image.Width);
        var crop = new FloatImage(h, w, image.Channels);
        for (int y = 0; y < h; y++) Array.Copy(image.Data, y * image.Width * image.Channels, crop.Data, y * w * image.Channels, w * image.Channels);
        using var predictor = new Predictor(new[] { CheckpointModels.Load(model!) },
            new PredictionOptions { Mode = SizeMode.Pad, Transforms = TestTimeAugmentation.Standard });
        using var segmenter = new ModelSegmenter(predictor, CheckpointModels.PartitionOptionsOf(CheckpointModels.SettingsOf(model!)));
        var labels = segmenter.Segment(crop);
        var ofTransformed = segmenter.Segment(SyntheticModels.Transform(crop, t));
        var expected = TransformLabels(labels, t);
        // Watershed ties may move a few pixels between touching nuclei; the objects must be the same.
        int agree = 0, fg = 0;
        for (int i = 0; i < expected.Data.Length; i++)
        {
            if (expected.Data[i] == 0 && ofTransformed.Data[i] == 0) continue;
            fg++;
            if ((expected.Data[i] == 0) == (ofTransformed.Data[i] == 0)) agree++;
        }
        Assert.Equal(labels.MaxLabel(), ofTransformed.MaxLabel());
        Assert.True(fg == 0 || agree >= 0.99 * fg, $"{t}: foreground agreement {agree}/{fg}");
    }
}
