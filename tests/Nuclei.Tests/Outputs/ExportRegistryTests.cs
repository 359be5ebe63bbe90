using System.CommandLine;
using Nuclei.Cli.Commands;
using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;
using Nuclei.Core.Output;
using Nuclei.Server.Downloads;
using Nuclei.Server.Engine;
using Nuclei.Server.Sessions;

namespace Nuclei.Tests.Outputs;

/// <summary>
/// The export formats are listed once (<see cref="ExportFormats.All"/>): the writer, the <c>--export</c> names and help,
/// and the server's downloads must each follow that list, so a new format is its encoder and one entry.
/// </summary>
public sealed class ExportRegistryTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-export-registry-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<string> Names => new(ExportFormats.All.Select(e => e.Name));

    static Exporter Entry(string name) => ExportFormats.All.Single(e => e.Name == name);

    [Fact]
    public void Entries_have_distinct_flags_names_and_suffixes()
    {
        Assert.Equal(ExportFormats.All.Count, ExportFormats.All.Select(e => e.Format).Distinct().Count());
        Assert.All(ExportFormats.All, e => Assert.Equal(1, System.Numerics.BitOperations.PopCount((uint)e.Format)));
        Assert.Equal(ExportFormats.All.Count, ExportFormats.All.Select(e => e.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(ExportFormats.All.Count, ExportFormats.All.Select(e => e.Suffix).Distinct().Count());
        Assert.All(ExportFormats.All, e => Assert.StartsWith(".", e.Suffix));
    }

    [Theory, MemberData(nameof(Names))]
    public void The_writer_writes_exactly_the_file_of_the_format_asked_for(string name)
    {
        var entry = Entry(name);
        var labels = MeasurementTests.Shapes();
        var image = new FloatImage(labels.Height, labels.Width, 1);
        var writer = new SegmentationOutputWriter(dir, options: new OutputOptions(PixelSizeUm: 0.5, Exports: ExportFormatNames.Parse(name)));
        var row = writer.Write("shapes", image, labels);
        writer.Finish();

        var exports = row.Outputs.Select(Path.GetFileName).Where(f => ExportFormats.All.Any(e => f!.EndsWith(e.Suffix, StringComparison.Ordinal)))
            .Where(f => f != Path.GetFileName(row.LabelsPath)).ToList();
        Assert.Equal(["shapes" + entry.Suffix], exports);
        var measurements = entry.NeedsMeasurements ? RegionMeasurer.Measure(labels, image) : null;
        Assert.Equal(entry.Encode(labels, 0.5, measurements), File.ReadAllBytes(Path.Combine(dir, "shapes" + entry.Suffix)));
        Assert.True(writer.IsComplete("shapes"));
    }

    [Fact]
    public void The_export_help_names_every_format_and_its_file()
    {
        var command = new Command("segment");
        new OutputCommandOptions().AddTo(command);
        string help = command.Options.Single(o => o.Name == "--export").Description!;
        Assert.All(ExportFormats.All, e =>
        {
            Assert.Contains(e.Name, help);
            Assert.Contains($"{e.Description} <id>{e.Suffix}", help);
        });
    }

    [Theory, MemberData(nameof(Names))]
    public void The_server_offers_every_format_as_a_download_with_its_label(string name)
    {
        var entry = Entry(name);
        string kind = entry.Suffix[1..];
        Assert.Contains(kind, ImageFiles.Names);
        Assert.Equal(entry.Label, ImageFiles.Labels[kind]);

        var labels = MeasurementTests.Shapes();
        var image = new FloatImage(labels.Height, labels.Width, 1);
        var nuclei = RegionMeasurer.Measure(labels, image);
        var imageEntry = new ImageEntry("id", "cells", image, new PredictedMaps(image, null, null), new SessionResult(new Thresholds(0.5f, 0.5f, 0.5f, 0), labels, nuclei, 0), 0);
        var file = ImageFiles.Make(imageEntry, kind);
        Assert.Equal("cells" + entry.Suffix, file.Name);
        Assert.Equal(entry.ContentType, file.ContentType);
        Assert.Equal(entry.Encode(labels, null, nuclei), file.Bytes);
    }
}
