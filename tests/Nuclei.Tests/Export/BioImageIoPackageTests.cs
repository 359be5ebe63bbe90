using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;
using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Tests.Inference;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Export;
using Nuclei.Torch.Inference;
using Xunit.Abstractions;

namespace Nuclei.Tests.Export;

/// <summary>
/// nuclei export --format bioimageio: the package's files are there, every sha256 in rdf.yaml is its file's, rdf.yaml
/// parses as YAML (by /usr/bin/python3's yaml module, when there), and the test tensors reproduce through ONNX Runtime
/// on weights.onnx within 1e-4, the input normalised as the checkpoint says.
/// </summary>
public sealed class BioImageIoPackageTests(ITestOutputHelper output) : IDisposable
{
    const double Tolerance = 1e-4;

    readonly string dir = Directory.CreateTempSubdirectory("nuclei-bioimageio-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [SkippableFact]
    public void Bundled_model_package_is_complete_hashed_and_reproducible()
    {
        string model = BundledModel();
        string sample = BundledSample();
        string package = Path.Combine(dir, "package");
        var summary = BioImageIoPackage.Export(model, package, sample, "MIT");

        string[] expected = ["rdf.yaml", "README.md", "cover.png", "weights.onnx", "test_input.npy",
            "test_output_semantic.npy", "test_output_contour.npy", "test_output_marker.npy"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Directory.GetFiles(package).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        string rdf = File.ReadAllText(Path.Combine(package, "rdf.yaml"));
        AssertHashes(rdf, name => File.ReadAllBytes(Path.Combine(package, name)), expected.Where(f => f != "rdf.yaml"));
        Assert.Contains("format_version: \"0.5.4\"", rdf);
        Assert.Contains("opset_version: 17", rdf);
        Assert.Contains("step: 16", rdf);
        Assert.Contains("id: \"scale_range\"", rdf);
        Assert.Contains("license: \"MIT\"", rdf);
        AssertParsesAsYaml(Path.Combine(package, "rdf.yaml"));
        Assert.Contains("0.6227", File.ReadAllText(Path.Combine(package, "README.md")));   // the checkpoint's recorded evaluation
        Assert.True(summary.TestNuclei > 0);
        AssertTestTensorsReproduce(package, model);
    }

    [Fact]
    public void Zip_package_holds_the_same_files_with_rdf_yaml_first()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save(configuration: ("pre.normalize", "percentile"));
        string sample = t.WriteImage("s.png", SyntheticModels.RandomImage(40, 56, 3, seed: 4));
        string zip = Path.Combine(dir, "small.zip");
        BioImageIoPackage.Export(ckpt, zip, sample, "CC-BY-4.0");
        using var archive = ZipFile.OpenRead(zip);
        Assert.Equal("rdf.yaml", archive.Entries[0].FullName);
        string rdf = new StreamReader(archive.GetEntry("rdf.yaml")!.Open()).ReadToEnd();
        AssertHashes(rdf, name => Read(archive.GetEntry(name)!), archive.Entries.Select(e => e.FullName).Where(n => n != "rdf.yaml"));
        Assert.Equal(new[] { zip }, Directory.GetFiles(dir));   // no temporary left beside it
    }

    [Fact]
    public void Channel_normalisation_and_a_bad_licence_are_refused()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save();   // config/default.ini: pre.normalize = channel
        string sample = t.WriteImage("s.png", SyntheticModels.RandomImage(32, 32, 3, seed: 4));
        var e = Assert.Throws<NucleiInputException>(() => BioImageIoPackage.Export(ckpt, Path.Combine(dir, "p"), sample, "MIT"));
        Assert.Contains("pre.normalize = channel", e.Message);
        Assert.Contains("model.nck", e.Message);
        Assert.Throws<NucleiInputException>(() => BioImageIoPackage.Export(ckpt, Path.Combine(dir, "p"), sample, "MIT; rm"));
        Assert.False(Directory.Exists(Path.Combine(dir, "p")));
    }

    [Fact]
    public void A_model_that_sees_images_as_grey_is_refused_naming_the_setting()
    {
        using var t = new TestCheckpoints();
        string ckpt = t.Save(fileName: "grey.nck", configuration: [("pre.normalize", "percentile"), ("pre.grey_input", "True")]);
        string sample = t.WriteImage("s.png", SyntheticModels.RandomImage(32, 32, 3, seed: 4));
        var e = Assert.Throws<NucleiInputException>(() => BioImageIoPackage.Export(ckpt, Path.Combine(dir, "p"), sample, "MIT"));
        Assert.Contains("pre.grey_input = True", e.Message);
        Assert.Contains("grey.nck", e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir, "p")));
    }

    /// <summary>models/default.nck; skips the calling [SkippableFact] when it is absent.</summary>
    internal static string BundledModel()
    {
        string model = Path.Combine(TestData.RepoRoot, "models", "default.nck");
        Skip.IfNot(File.Exists(model), $"bundled model {model} not found; skipped");
        return model;
    }

    /// <summary>The last sample image (in ordinal order) of samples/, the one the bundled package's test tensors come from.</summary>
    internal static string BundledSample() =>
        Directory.EnumerateFiles(TestData.SamplesDir, "*.png", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "images").Order(StringComparer.Ordinal).Last();

    /// <summary>Every file named in rdf.yaml (source then sha256) has that SHA-256, and every file of the package is named.</summary>
    static void AssertHashes(string rdf, Func<string, byte[]> read, IEnumerable<string> files)
    {
        var named = Regex.Matches(rdf, "source: \"([^\"]+)\"\\n\\s*sha256: \"([0-9a-f]{64})\"")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        foreach (string file in files)
        {
            Assert.True(named.TryGetValue(file, out var sha), $"rdf.yaml gives no sha256 for {file}");
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(read(file))));
        }
    }

    /// <summary>yaml.safe_load of rdf.yaml by /usr/bin/python3; nothing to check where it or its yaml module is absent.</summary>
    void AssertParsesAsYaml(string path)
    {
        if (!File.Exists("/usr/bin/python3")) { output.WriteLine("no /usr/bin/python3: YAML parse not checked"); return; }
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(d['type'], d['format_version'], len(d['outputs']))", path })
            start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (stderr.Contains("No module named 'yaml'")) { output.WriteLine("python3 has no yaml module: YAML parse not checked"); return; }
        Assert.True(p.ExitCode == 0, stderr);
        Assert.Equal("model 0.5.4 3", stdout.Trim());
    }

    /// <summary>test_input.npy normalised as the checkpoint says, through weights.onnx: each head within <see cref="Tolerance"/> of its test_output npy.</summary>
    void AssertTestTensorsReproduce(string package, string model)
    {
        var (shape, raw) = ReadNpy(File.ReadAllBytes(Path.Combine(package, "test_input.npy")));
        int c = (int)shape[1], h = (int)shape[2], w = (int)shape[3];
        var hwc = new float[raw.Length];
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < h * w; i++) hwc[i * c + ch] = raw[ch * h * w + i];
        var normalization = CheckpointModels.NormalizationOf(CheckpointModels.SettingsOf(model));
        float[] input = normalization.ToPlanar(new FloatImage(h, w, c, hwc));

        using var session = new InferenceSession(Path.Combine(package, "weights.onnx"));
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var results = session.Run(new RunOptions(), [OnnxExport.InputName], [value], session.OutputNames);
        for (int k = 0; k < session.OutputNames.Count; k++)
        {
            var (_, want) = ReadNpy(File.ReadAllBytes(Path.Combine(package, $"test_output_{session.OutputNames[k]}.npy")));
            var got = results[k].GetTensorDataAsSpan<float>();
            double max = 0;
            for (int i = 0; i < want.Length; i++) max = Math.Max(max, Math.Abs(got[i] - want[i]));
            output.WriteLine($"{session.OutputNames[k]}: ONNX Runtime within {max:G3} of the test tensor");
            Assert.True(max <= Tolerance, $"{session.OutputNames[k]}: {max:G3}");
        }
    }

    /// <summary>A .npy v1.0 float32 C-order file: its shape and values (checks the header as numpy writes it).</summary>
    static (long[] Shape, float[] Values) ReadNpy(byte[] bytes)
    {
        Assert.Equal("\u0093NUMPY", Encoding.Latin1.GetString(bytes, 0, 6));
        Assert.Equal((1, 0), (bytes[6], bytes[7]));
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4', 'fortran_order': False", header);
        var shape = Regex.Match(header, @"'shape': \(([^)]*)\)").Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        var data = bytes.AsSpan(10 + headerLength);
        var values = new float[data.Length / 4];
        Assert.Equal(shape.Aggregate(1L, (a, b) => a * b), values.Length);
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
        return (shape, values);
    }

    static byte[] Read(ZipArchiveEntry entry)
    {
        using var s = entry.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }
}
