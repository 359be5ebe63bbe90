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
/// diameter go with it as metadata (see <see cref="OnnxExport"/>). `--format bioimageio --out DIR|P.zip` writes a
/// BioImage Model Zoo package around that model (<see cref="BioImageIoPackage"/>). Post-processing stays nuclei's.
/// </summary>
internal static class ExportCommand
{
    private static readonly string[] Formats = ["onnx", "bioimageio"];

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "checkpoint to export (.nck, or an ensemble description of one member)", Required = true };
        var format = new Option<string>("--format")
        {
            Description = "output format: onnx (opset 17; input 'image' [N, C, H, W] normalised, one sigmoid output per head) or bioimageio " +
                          "(a BioImage Model Zoo package, model format 0.5: rdf.yaml, weights.onnx, README.md, test tensors and a cover from --sample; a folder, or a zip when --out ends in .zip)",
            DefaultValueFactory = _ => "onnx",
        };
        format.AcceptOnlyFromAmong(Formats);
        var outPath = new Option<string>("--out") { Description = "the model file (onnx) or package folder or .zip (bioimageio) to write (never the input); written whole or not at all", Required = true };
        var sample = new Option<string?>("--sample") { Description = "bioimageio: the image whose centred square crop (up to 256x256) becomes the test tensors and the cover" };
        var license = new Option<string?>("--license") { Description = "bioimageio: the package's licence as an SPDX identifier (e.g. MIT, CC-BY-4.0); required, as this repository declares none" };
        var json = JsonSummary.Option();
        var command = new Command("export", "write a checkpoint's network as an ONNX model (with its preprocessing as metadata) or a bioimage.io package, for other tools and platforms");
        foreach (var o in new Option[] { model, format, outPath, sample, license, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            if (parse.GetValue(format) == "bioimageio")
                return RunBioImageIo(parse.GetValue(model)!, parse.GetValue(outPath)!, parse.GetValue(sample), parse.GetValue(license), parse.GetValue(json));
            if (parse.GetValue(sample) is not null || parse.GetValue(license) is not null)   // an error, never ignored
                throw new NucleiInputException(null, "--sample and --license are for --format bioimageio; an ONNX file carries neither");
            return Run(parse.GetValue(model)!, parse.GetValue(outPath)!, parse.GetValue(json));
        });
        return command;
    }

    static int RunBioImageIo(string modelArgument, string outPath, string? sample, string? license, bool json)
    {
        string modelPath = ModelReference.Single(modelArgument, "export");
        if (sample is null) throw new NucleiInputException(null, "--format bioimageio needs --sample IMAGE: the test tensors and the cover are made from it");
        if (license is null) throw new NucleiInputException(null, "--format bioimageio needs --license SPDX-ID (bioimage.io requires a licence; this repository declares none)");
        if (json) StandardOutput.BeginJson();
        var summary = BioImageIoPackage.Export(modelPath, outPath, sample, license);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {outPath}: bioimage.io package of {summary.Files.Count} files, test crop {summary.TestSide}x{summary.TestSide} ({summary.TestNuclei} nuclei on the cover)"));
        foreach (var f in summary.Files) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {f.Name}\t{f.Bytes}\t{f.Sha256}"));
        if (json) StandardOutput.WriteJson(summary);
        return CommandLine.Done;
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
