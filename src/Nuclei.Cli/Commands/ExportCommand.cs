using System.CommandLine;
using System.Globalization;
using Nuclei.Cli.Terminal;
using Nuclei.Core;
using Nuclei.Torch.Export;
using Nuclei.Torch.Inference;

namespace Nuclei.Cli.Commands;

/// <summary>
/// `nuclei export --model M.nck --format onnx --out M.onnx`: writes a checkpoint's network as an ONNX model, so that
/// ONNX Runtime (Fiji, QuPath, napari, CellProfiler, any OS, a GPU) can run it; its preprocessing, heads and training
/// diameter go with it as metadata (see <see cref="OnnxExport"/>). Post-processing stays nuclei's.
/// </summary>
public static class ExportCommand
{
    private static readonly string[] Formats = ["onnx"];

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "checkpoint to export (.nck, or an ensemble description of one member)", Required = true };
        var format = new Option<string>("--format") { Description = "output format: onnx (opset 17; input 'image' [N, C, H, W] normalised, one sigmoid output per head)", DefaultValueFactory = _ => "onnx" };
        format.AcceptOnlyFromAmong(Formats);
        var outPath = new Option<string>("--out") { Description = "the model file to write (never the input); written whole or not at all", Required = true };
        var json = JsonSummary.Option();
        var command = new Command("export", "write a checkpoint's network as an ONNX model (with its preprocessing as metadata) for other tools and platforms");
        foreach (var o in new Option[] { model, format, outPath, json }) command.Options.Add(o);
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(outPath)!, parse.GetValue(json)));
        return command;
    }

    static int Run(string modelArgument, string outPath, bool json)
    {
        string modelPath = ModelReference.Single(modelArgument, "export");
        if (json) StandardOutput.BeginJson();
        if (Directory.Exists(outPath)) throw new NucleiInputException(outPath, "--out is a folder; give the .onnx file to write");
        var summary = OnnxExport.ExportCheckpoint(modelPath, outPath);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {outPath}: {summary.Architecture}, outputs {string.Join(", ", summary.Outputs)}, {summary.Bytes / 1e6:0.0} MB ({summary.Bytes:N0} bytes), {summary.Nodes} nodes, opset {summary.Opset}"));
        if (json) StandardOutput.WriteJson(summary);
        return CommandLine.Done;
    }
}
