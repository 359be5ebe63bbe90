using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Imaging;

namespace Nuclei.Tests.Safety;

/// <summary>`nuclei segment` never replaces an input: outputs have their own names, and a run that would clash is refused before it writes.</summary>
public sealed class InputSafetyTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-inputs-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static SegmentCommand.SegmentSettings Classical(string[] inputs, string outDir, string? csv = null) =>
        new(inputs, outDir, Segmenter: new() { Method = SegmentationMethod.Classical }, Csv: csv);

    [Fact]
    public void Segmenting_a_folder_into_itself_twice_leaves_the_images_unchanged_and_finds_the_same_nuclei()
    {
        string images = Path.Combine(dir, "inplace");
        SyntheticImages.Write(images, 3);
        var before = SyntheticImages.Checksums(images);

        Assert.Equal(0, SegmentCommand.Run(Classical([images], images)));
        string first = File.ReadAllText(Path.Combine(images, "summary.csv"));
        Assert.Equal(0, SegmentCommand.Run(Classical([images], images)));

        foreach (var (file, sum) in before) Assert.Equal(sum, OutputFolder.Sha256(Path.Combine(images, file)));
        Assert.Equal(first, File.ReadAllText(Path.Combine(images, "summary.csv")));
        Assert.DoesNotContain(",0,", first);
        Assert.Equal(3, Directory.EnumerateFiles(images, "*.labels.png").Count());
    }

    [Fact]
    public void An_output_that_would_replace_an_input_is_refused_naming_both_and_nothing_is_written()
    {
        string images = Path.Combine(dir, "images");
        var paths = SyntheticImages.Write(images, 2);
        string asInput = Path.Combine(images, "img00.labels.png"); // an image the user named like our label map
        File.Copy(paths[1], asInput);
        var before = SyntheticImages.Checksums(images);

        var e = Assert.Throws<NucleiInputException>(() => SegmentCommand.Run(Classical([paths[0], asInput], images)));
        Assert.Contains("img00.labels.png", e.Message);
        Assert.Contains("would be overwritten", e.Message);

        // --csv onto an input, and an output folder reached through a link, are caught too.
        Assert.Throws<NucleiInputException>(() => SegmentCommand.Run(Classical([paths[0]], Path.Combine(dir, "out"), csv: paths[0])));
        string link = Path.Combine(dir, "link");
        Directory.CreateSymbolicLink(link, images);
        Assert.Throws<NucleiInputException>(() => SegmentCommand.Run(Classical([paths[0], asInput], Path.Combine(link, "..", "link"))));

        Assert.Equal(before, SyntheticImages.Checksums(images));
    }

    [Fact]
    public void An_annotation_named_like_a_label_map_is_never_replaced()
    {
        string data = Path.Combine(dir, "labelled");
        var paths = SyntheticImages.Write(data, 2);
        ImageIO.WriteLabels(Path.Combine(data, "img01.labels.png"), new LabelImage(64, 64)); // the annotation of img01
        var before = SyntheticImages.Checksums(data);

        var e = Assert.Throws<NucleiInputException>(() => SegmentCommand.Run(Classical([data], data)));
        Assert.Contains("img01.labels.png", e.Message);
        Assert.Contains("not written by nuclei", e.Message);
        Assert.Equal(before, SyntheticImages.Checksums(data));
    }
}
