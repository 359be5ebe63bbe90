using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Torch.Export;

/// <summary>
/// A checkpoint as a BioImage Model Zoo package (bioimage.io model description format 0.5, bioimage-io/spec-bioimage-io):
/// rdf.yaml, the network as weights.onnx (<see cref="OnnxExport"/>), a README.md, test tensors (a square crop of a sample
/// image as the raw input, each head's probabilities from the predictor's network as the expected outputs, .npy files,
/// <see cref="NpyFile"/>) and a cover image (the crop beside the overlay of its segmentation), every file with its
/// SHA-256 in rdf.yaml. Written as a folder, or as a zip (rdf.yaml first) when the path ends in .zip.
/// </summary>
internal static class BioImageIoPackage
{
    /// <summary>The largest side of the test crop: test tensors of a few MB, a cover of at most 512×256.</summary>
    const int MaxTestSide = 256;

    /// <summary>One file of the package.</summary>
    public sealed record PackageFile(string Name, long Bytes, string Sha256);

    /// <summary>What <see cref="Export"/> wrote.</summary>
    public sealed record Summary(string Model, string Out, IReadOnlyList<PackageFile> Files, int TestSide, int TestNuclei);

    /// <param name="sampleImage">the image the test tensors and the cover are made from (a centred square crop of it)</param>
    /// <param name="license">the package's licence, an SPDX identifier (bioimage.io requires one)</param>
    public static Summary Export(string checkpointPath, string outPath, string sampleImage, string license)
    {
        if (Path.GetFullPath(outPath) == Path.GetFullPath(checkpointPath))
            throw new NucleiInputException(outPath, "--out must not be the input checkpoint (inputs are never overwritten)");
        if (!Regex.IsMatch(license, "^[A-Za-z0-9][A-Za-z0-9.+-]*$"))
            throw new NucleiInputException(null, $"--license must be an SPDX licence identifier such as MIT or CC-BY-4.0, got '{UntrustedText.Clean(license)}'");
        bool zip = outPath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);
        if (!zip && Directory.Exists(outPath) && Directory.EnumerateFileSystemEntries(outPath).Any())
            throw new NucleiInputException(outPath, "--out is a folder that is not empty; the package goes into a new or empty folder");

        var files = Contents(checkpointPath, sampleImage, license, out int side, out int nuclei);
        if (zip) WriteZip(outPath, files);
        else WriteFolder(outPath, files);
        return new Summary(checkpointPath, outPath, files.Select(f => new PackageFile(f.Key, f.Value.Length, Sha256(f.Value))).ToList(), side, nuclei);
    }

    /// <summary>Every file's name and bytes, rdf.yaml first.</summary>
    static List<KeyValuePair<string, byte[]>> Contents(string checkpointPath, string sampleImage, string license, out int side, out int nuclei)
    {
        var loaded = Checkpoint.Load(checkpointPath);
        var settings = new CheckpointSettings(loaded.Info.Configuration, checkpointPath);
        var facts = new BioImageIoFacts(loaded, settings, license);
        var preprocessing = BioImageIoPreprocessing.Of(facts.Normalization, loaded.Net.Options.InChannels, checkpointPath);
        byte[] weights;
        using (var net = loaded.Net)
        {
            net.eval();
            try { weights = OnnxExport.ToModel(net, OnnxMetadata.Of(loaded, settings)).ToByteArray(); }
            catch (NucleiInputException e) when (e.InputPath is null) { throw new NucleiInputException(checkpointPath, e.ProblemMessage, e); }
        }

        using var model = CheckpointModels.Load(checkpointPath, precision: ComputePrecision.Fp32, runtime: NetworkRuntime.Torch);
        var crop = TestCrop(sampleImage, model);
        side = crop.Height;
        var files = new Dictionary<string, byte[]>
        {
            ["weights.onnx"] = weights,
            ["test_input.npy"] = NpyFile.Float32(InputPreparation.ToPlanar(crop), [1, crop.Channels, crop.Height, crop.Width]),
        };
        foreach (var (head, probabilities) in ExpectedOutputs(model, crop))
            files[$"test_output_{head}.npy"] = NpyFile.Float32(probabilities, [1, 1, crop.Height, crop.Width]);
        var labels = Cover(model, settings, crop);
        nuclei = labels.MaxLabel();
        files["cover.png"] = ImageIO.EncodeOverlay(crop, labels, ".png", new OverlayOptions(SideBySide: true));
        files["README.md"] = Encoding.UTF8.GetBytes(BioImageIoReadme.Of(facts, Path.GetFileName(sampleImage), crop.Height, nuclei));

        string rdf = BioImageIoRdf.Of(facts, preprocessing, model.Heads, model.SizeMultiple, name => Sha256(files[name]));
        return [new("rdf.yaml", Encoding.UTF8.GetBytes(rdf)), .. files.OrderBy(f => f.Key, StringComparer.Ordinal)];
    }

    /// <summary>The centred square of the sample, at most <see cref="MaxTestSide"/>, its side a multiple of the size multiple, with the model's channels.</summary>
    static FloatImage TestCrop(string sampleImage, InferenceModel model)
    {
        var image = InputPreparation.AdaptChannels(ImageIO.ReadImage(sampleImage), model.InChannels);
        int m = model.SizeMultiple, side = Math.Min(MaxTestSide, Math.Min(image.Height, image.Width)) / m * m;
        if (side == 0) throw new NucleiInputException(sampleImage, $"the sample image is {image.Width}x{image.Height}, smaller than the model's size multiple {m}");
        int top = (image.Height - side) / 2, left = (image.Width - side) / 2, ch = image.Channels;
        var data = new float[side * side * ch];
        for (int y = 0; y < side; y++)
            Array.Copy(image.Data, ((top + y) * image.Width + left) * ch, data, y * side * ch, side * ch);
        return new FloatImage(side, side, ch, data);
    }

    /// <summary>Each head's sigmoid probabilities of the crop from the predictor's network, the crop normalised as the checkpoint says.</summary>
    static IEnumerable<(string Head, float[] Values)> ExpectedOutputs(InferenceModel model, FloatImage crop)
    {
        using var gate = FinalizerGate.Enter();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var input = torch.tensor(model.Normalize(crop), new long[] { 1, model.InChannels, crop.Height, crop.Width });
        float[] all = torch.sigmoid(model.Network(input)).contiguous().data<float>().ToArray();
        int plane = crop.Height * crop.Width;
        return model.Heads.Select((head, k) => (head, all.AsSpan(k * plane, plane).ToArray())).ToList();
    }

    /// <summary>The crop segmented as `nuclei segment --mode pad` segments it, with the checkpoint's post-processing.</summary>
    static LabelImage Cover(InferenceModel model, CheckpointSettings settings, FloatImage crop)
    {
        using var segmenter = new ModelSegmenter(new Predictor([model], new PredictionOptions { Mode = SizeMode.Pad }, ownsModels: false),
            CheckpointModels.PartitionOptionsOf(settings));
        return segmenter.Segment(crop, "the test crop");
    }

    static void WriteFolder(string dir, List<KeyValuePair<string, byte[]>> files)
    {
        Directory.CreateDirectory(dir);
        // rdf.yaml last: a folder with rdf.yaml is a complete package
        foreach (var (name, bytes) in files.Skip(1).Append(files[0])) AtomicFile.WriteAllBytes(Path.Combine(dir, name), bytes);
    }

    static void WriteZip(string path, List<KeyValuePair<string, byte[]>> files) =>
        AtomicFile.Write(path, tmp =>
        {
            using var archive = ZipFile.Open(tmp, ZipArchiveMode.Create);
            foreach (var (name, bytes) in files)
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(bytes);
            }
        });

    static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
