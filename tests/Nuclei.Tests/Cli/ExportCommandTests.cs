using Microsoft.ML.OnnxRuntime;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Models;
using static Nuclei.Tests.Core.SamplesAndEvaluateTests;
using static Nuclei.Tests.Models.OnnxExportTests;

namespace Nuclei.Tests.Cli;

/// <summary>`nuclei export` through the built program: the ONNX file written atomically, the input never overwritten, errors exit 2 naming the file.</summary>
public sealed class ExportCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-export-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Cli_writes_the_model_and_never_the_input()
    {
        string checkpoint = Path.Combine(dir, "small.nck");
        using (var net = RandomNet("caunet", new ModelOptions { BaseWidth = 4, Depth = 2 }))
            Checkpoint.Save(checkpoint, net, new CheckpointInfo { MedianDiameter = 21.5 });
        string onnx = Path.Combine(dir, "out", "small.onnx");

        var run = RunCli("export", "--model", checkpoint, "--format", "onnx", "--out", onnx);
        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains("small.onnx", run.Out);
        using (var session = new InferenceSession(onnx))
        {
            Assert.Equal(new[] { "semantic", "contour" }, session.OutputMetadata.Keys.ToArray());
            Assert.Equal("21.5", session.ModelMetadata.CustomMetadataMap["nuclei.training_diameter_px"]);
        }
        Assert.Equal(new[] { onnx }, Directory.GetFiles(Path.GetDirectoryName(onnx)!));   // no temporary left

        long before = new FileInfo(checkpoint).Length;
        var over = RunCli("export", "--model", checkpoint, "--out", checkpoint);
        Assert.Equal(2, over.Exit);
        Assert.Contains("never overwritten", over.Err);
        Assert.Equal(before, new FileInfo(checkpoint).Length);

        var missing = RunCli("export", "--model", Path.Combine(dir, "none.nck"), "--out", onnx);
        Assert.Equal(2, missing.Exit);
        Assert.Contains("none.nck", missing.Err);
        Assert.Equal(2, RunCli("export", "--model", checkpoint, "--format", "tflite", "--out", onnx).Exit);
    }
}
