using System.Globalization;
using System.Text;

namespace Nuclei.Torch.Export;

/// <summary>
/// The package's README.md: the model card's essentials from what the checkpoint records (architecture, heads,
/// training data, input normalisation, training scale, the evaluation `nuclei tune` wrote into it), how to run the
/// ONNX weights, and what the package leaves out (nuclei's splitting of the maps into nuclei).
/// </summary>
internal static class BioImageIoReadme
{
    public static string Of(BioImageIoFacts f, string sample, int side, int nuclei)
    {
        var n = f.Normalization;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# nuclei {Path.GetFileNameWithoutExtension(f.CheckpointName)}: {f.Architecture}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"A cell nucleus segmentation network exported by `nuclei export --format bioimageio` from the checkpoint `{f.CheckpointName}` (SHA-256 {f.CheckpointSha256}).\n");
        sb.Append(CultureInfo.InvariantCulture, $"It predicts per pixel {string.Join(", ", f.Heads.Select(h => $"`{h}` ({BioImageIoFacts.HeadDescription(h)})"))}. ");
        sb.Append("nuclei (`nuclei segment`) turns these maps into labelled nuclei by thresholds and a marker-controlled watershed; this package holds the network only.\n\n");

        sb.Append("## Training data\n\n");
        sb.Append("The 2018 Data Science Bowl stage-1 training images (`stage1_train`, fluorescence and brightfield/histology, released under CC0), with community label fixes; ");
        sb.Append("a fixed random 10 % of the images held out for validation.");
        if (f.Info.MedianDiameter is double d) sb.Append(CultureInfo.InvariantCulture, $" Median nucleus diameter of the training labels: {d:0.#} px; nuclei of about that size segment best.");
        sb.Append("\n\n## Validation\n\n");
        if (f.Info.Evaluation is { } e)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Recorded in the checkpoint: DSB2018 mean AP (IoU 0.5-0.95) **{e.MeanAp:0.0000}** on {e.Images} held-out whole images, segmented with the checkpoint's post-processing");
            if (e.ByKind.Count > 0) sb.Append(" (" + string.Join(", ", e.ByKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Key} {k.Value:0.0000}"))) + string.Create(CultureInfo.InvariantCulture, $"; mean over kinds {e.KindMean:0.0000})"));
            sb.Append(CultureInfo.InvariantCulture, $"; measured {e.MeasuredUtc:yyyy-MM-dd} by `{e.Command}`.\n");
        }
        else sb.Append("The checkpoint records no evaluation on whole images (`nuclei tune` writes one).\n");
        if (f.Info.ValidationScore is double v) sb.Append(CultureInfo.InvariantCulture, $"The in-training validation score that chose this epoch ({f.Info.Epoch}) was {v:0.0000} (centre crops, untuned thresholds): another measurement.\n");

        sb.Append("\n## Input\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"`image` [batch, channel, y, x], float32, {f.InChannels} channels ({string.Join(", ", f.ChannelNames)}; a grey image replicated), y and x multiples of {f.Metadata["nuclei.size_multiple"]} (pad the image, e.g. by reflection, and crop the outputs back). ");
        sb.Append(CultureInfo.InvariantCulture, $"Preprocessing (in rdf.yaml): `scale_range` over channel, y and x together, percentile {n.PercentileLow.ToString(CultureInfo.InvariantCulture)} to 0 and {n.PercentileHigh.ToString(CultureInfo.InvariantCulture)} to 1");
        sb.Append(n.Mean.Any(m => m != 0) || n.Std.Any(s => s != 1) ? ", then `fixed_zero_mean_unit_variance` per channel" : "");
        sb.Append(". nuclei reads these percentiles from a 4096-bin histogram over the image's range, bioimage.io runtimes compute them exactly: each can differ by up to one bin (1/4096 of the image's range), so a runtime's outputs can differ slightly from the test tensors, which nuclei's normalisation made.\n\n");

        sb.Append("## Outputs and test tensors\n\n");
        sb.Append("One output per head, [batch, 1, y, x] as the input, sigmoid probabilities in 0..1. ");
        sb.Append(CultureInfo.InvariantCulture, $"`test_input.npy` is the centred {side}×{side} crop of `{sample}` (values 0..1 as nuclei reads the file); the `test_output_*.npy` files are the probabilities nuclei's TorchSharp network computes for it; ONNX Runtime reproduces them within 1e-4 from `weights.onnx` (opset {OnnxGraph.Opset}). ");
        sb.Append(CultureInfo.InvariantCulture, $"`cover.png` shows the crop beside the outlines of the {nuclei} nuclei `nuclei segment` finds in it.\n\n");

        sb.Append("## Post-processing in nuclei\n\n");
        sb.Append("rdf.yaml's `config.nuclei` holds the thresholds the checkpoint carries (body, contour, marker) and its training scale. ");
        sb.Append("`nuclei segment --model " + f.CheckpointName + "` runs the whole pipeline (tiling, optional test-time augmentation, rescaling by `--diameter`, splitting into nuclei).\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Licence: {f.License}.\n");
        return sb.ToString();
    }
}
