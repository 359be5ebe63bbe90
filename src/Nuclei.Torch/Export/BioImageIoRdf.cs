using System.Globalization;

namespace Nuclei.Torch.Export;

/// <summary>
/// rdf.yaml of a package, in the fields and order of the bioimage.io model description format 0.5
/// (bioimage-io/spec-bioimage-io, user_docs/model_descr_latest.md and example_descriptions/models): inputs with
/// batch, channel, y and x axes, y and x of size min + k·step (step the size multiple); one output per head, sized
/// as the input, values 0..1; ONNX weights with their opset; every file with its sha256 (README.md and cover.png
/// as attachments, since the documentation and covers fields are plain paths).
/// </summary>
internal static class BioImageIoRdf
{
    /// <summary>The model description format written: 0.5.4 (outputs' reproducibility tolerances are not used).</summary>
    public const string FormatVersion = "0.5.4";

    public const string InputId = "image";

    public static string Of(BioImageIoFacts facts, IReadOnlyList<BioImageIoPreprocessing.Step> preprocessing, IReadOnlyList<string> heads,
        int sizeMultiple, Func<string, string> sha256)
    {
        string name = Path.GetFileNameWithoutExtension(facts.CheckpointName);
        var rdf = new YamlMap
        {
            { "type", "model" },
            { "format_version", FormatVersion },
            { "name", $"nuclei {name} ({facts.Architecture})" },
            { "description", $"Cell nucleus segmentation: a multi-head U-Net ({facts.Architecture}) predicting {string.Join(", ", heads)} " +
                             "probabilities, which nuclei's post-processing splits into nuclei. Trained on the 2018 Data Science Bowl stage-1 images." },
            { "authors", new[] { new YamlMap { { "name", "Nuclei maintainers" } } } },
            { "cite", Citations() },
            { "license", facts.License },
            { "documentation", "README.md" },
            { "covers", new[] { "cover.png" } },
            { "attachments", new[] { File("README.md", sha256), File("cover.png", sha256) } },
            { "tags", new[] { "nuclei", "nucleus-segmentation", "instance-segmentation", "unet", "2d", "fluorescence-light-microscopy", "brightfield", "dsb2018", "onnx" } },
            { "timestamp", facts.Written.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) },
            { "inputs", new[] { Input(facts, preprocessing, sizeMultiple, sha256) } },
            { "outputs", heads.Select(h => Output(h, sha256)).ToArray() },
            { "weights", new YamlMap { { "onnx", new YamlMap { { "source", "weights.onnx" }, { "sha256", sha256("weights.onnx") }, { "opset_version", OnnxGraph.Opset } } } } },
            { "config", new YamlMap { { "nuclei", Config(facts) } } },
        };
        return "# bioimage.io model description written by `nuclei export --format bioimageio`\n" + YamlText.Of(rdf);
    }

    static YamlMap[] Citations() =>
    [
        new YamlMap
        {
            { "text", "Caicedo et al. Nucleus segmentation across imaging experiments: the 2018 Data Science Bowl. Nature Methods 16, 1247-1253 (2019)" },
            { "doi", "10.1038/s41592-019-0612-7" },
        },
        new YamlMap
        {
            { "text", "Ronneberger, Fischer and Brox. U-Net: Convolutional Networks for Biomedical Image Segmentation. MICCAI 2015" },
            { "doi", "10.1007/978-3-319-24574-4_28" },
        },
    ];

    static YamlMap Input(BioImageIoFacts facts, IReadOnlyList<BioImageIoPreprocessing.Step> preprocessing, int sizeMultiple, Func<string, string> sha256) => new()
    {
        { "id", InputId },
        // at most 128 characters, as the spec allows a tensor description; README.md says more
        { "description", "the image, one channel per colour (grey replicated, alpha dropped), raw intensities: scale_range normalises any scale" },
        { "axes", new object[]
            {
                new YamlMap { { "type", "batch" } },
                new YamlMap { { "type", "channel" }, { "channel_names", facts.ChannelNames } },
                SpaceAxis("y", new YamlMap { { "min", sizeMultiple }, { "step", sizeMultiple } }),
                SpaceAxis("x", new YamlMap { { "min", sizeMultiple }, { "step", sizeMultiple } }),
            } },
        { "test_tensor", File("test_input.npy", sha256) },
        { "data", new YamlMap { { "type", "float32" } } },
        { "preprocessing", preprocessing.Select(Step).ToArray() },
    };

    static YamlMap Output(string head, Func<string, string> sha256) => new()
    {
        { "id", head },
        { "description", BioImageIoFacts.HeadDescription(head) },
        { "axes", new object[]
            {
                new YamlMap { { "type", "batch" } },
                new YamlMap { { "type", "channel" }, { "channel_names", new[] { head } } },
                SpaceAxis("y", new YamlMap { { "tensor_id", InputId }, { "axis_id", "y" } }),
                SpaceAxis("x", new YamlMap { { "tensor_id", InputId }, { "axis_id", "x" } }),
            } },
        { "test_tensor", File($"test_output_{head}.npy", sha256) },
        { "data", new YamlMap { { "type", "float32" }, { "range", new object[] { 0.0, 1.0 } } } },
    };

    static YamlMap SpaceAxis(string id, YamlMap size) => new() { { "type", "space" }, { "id", id }, { "size", size } };

    static YamlMap Step(BioImageIoPreprocessing.Step step)
    {
        var kwargs = new YamlMap();
        foreach (var (key, value) in step.Kwargs) kwargs.Add(key, value);
        return new YamlMap { { "id", step.Id }, { "kwargs", kwargs } };
    }

    static YamlMap File(string name, Func<string, string> sha256) => new() { { "source", name }, { "sha256", sha256(name) } };

    /// <summary>What nuclei's own post-processing and scale handling use (free-form under config, as the spec allows).</summary>
    static YamlMap Config(BioImageIoFacts facts)
    {
        var m = new YamlMap { { "checkpoint", facts.CheckpointName }, { "checkpoint_sha256", facts.CheckpointSha256 } };
        foreach (var key in new[] { "nuclei.size_multiple", "nuclei.training_width", "nuclei.training_diameter_px", "nuclei.post.threshold", "nuclei.post.threshold_edge", "nuclei.post.threshold_mark" })
            if (facts.Metadata.TryGetValue(key, out var value)) m.Add(key["nuclei.".Length..].Replace('.', '_'), double.Parse(value, CultureInfo.InvariantCulture));
        return m;
    }
}
