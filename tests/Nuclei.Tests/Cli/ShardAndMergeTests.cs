using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Output;
using Nuclei.Tests.Safety;
using Nuclei.Cli;

namespace Nuclei.Tests.Cli;

/// <summary>`segment --shard K/N` deals every image to exactly one shard, and `merge` of the shards' folders equals one run.</summary>
public sealed class ShardAndMergeTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-shards-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static readonly OutputOptions Everything = new(Measure: true, Exports: ExportFormat.GeoJson, Report: true);

    static SegmentCommand.SegmentSettings Classical(string[] inputs, string outDir, string? shard = null, string? csv = null, string? list = null) =>
        new(inputs, outDir, Segmenter: new() { Method = SegmentationMethod.Classical }, Csv: csv, Outputs: Everything, List: list, Shard: shard);

    [Fact]
    public void Every_image_is_in_exactly_one_shard_whatever_the_input_order()
    {
        var images = Enumerable.Range(0, 23).Select(i => new InputImage($"id{i * 7919 % 23:D2}", $"/x/{i}.png")).ToList();
        for (int n = 1; n <= 6; n++)
        {
            var shards = Enumerable.Range(1, n).Select(k => new Shard(k, n).Select(images)).ToList();
            var dealt = shards.SelectMany(s => s).Select(i => i.Id).ToList();
            Assert.Equal(images.Select(i => i.Id).Order(StringComparer.Ordinal), dealt.Order(StringComparer.Ordinal)); // each once
            Assert.True(shards.Max(s => s.Count) - shards.Min(s => s.Count) <= 1);
            var reversed = new Shard(n, n).Select(Enumerable.Reverse(images));
            Assert.Equal(shards[n - 1], reversed);
        }
    }

    [Theory]
    [InlineData("0/3")] [InlineData("4/3")] [InlineData("1/0")] [InlineData("2")] [InlineData("a/b")] [InlineData("-1/3")] [InlineData("1/2/3")]
    public void A_bad_shard_is_an_input_error(string text) =>
        Assert.Contains("--shard must be K/N", Assert.Throws<NucleiInputException>(() => Shard.Parse(text)).MessageFor(SettingFlags.Names));

    [Fact]
    public void Merging_two_shard_folders_equals_one_run_over_all_images()
    {
        string images = Path.Combine(dir, "images");
        SyntheticImages.Write(images, 5);
        string single = Path.Combine(dir, "single"), merged = Path.Combine(dir, "merged");
        Assert.Equal(0, SegmentCommand.Run(Classical([images], single, csv: Path.Combine(single, "submission.csv"))));
        string[] shards = [Path.Combine(dir, "shard1"), Path.Combine(dir, "shard2")];
        for (int k = 1; k <= 2; k++) Assert.Equal(0, SegmentCommand.Run(Classical([images], shards[k - 1], shard: $"{k}/2")));
        Assert.Equal(3, Directory.EnumerateFiles(shards[0], "*.labels.png").Count());

        Assert.Equal(0, MergeCommand.Run(shards, merged, csv: Path.Combine(merged, "submission.csv")));

        foreach (string name in new[] { "summary.csv", "submission.csv", "measurements.csv" })
            Assert.Equal(File.ReadAllText(Path.Combine(single, name)), File.ReadAllText(Path.Combine(merged, name)));
        Assert.Equal(5, OutputFolder.Ids(Path.Combine(merged, "summary.csv")).Count);
        foreach (string pattern in new[] { "*.labels.png", "*.overlay.png", "*.geojson" })
        {
            var files = Directory.EnumerateFiles(single, pattern).Select(Path.GetFileName).Order().ToList();
            Assert.Equal(files, Directory.EnumerateFiles(merged, pattern).Select(Path.GetFileName).Order().ToList());
            foreach (string? f in files)
                Assert.Equal(OutputFolder.Sha256(Path.Combine(single, f!)), OutputFolder.Sha256(Path.Combine(merged, f!)));
        }
        string report = File.ReadAllText(Path.Combine(merged, "report.html"));
        foreach (string id in OutputFolder.Ids(Path.Combine(single, "summary.csv"))) Assert.Contains(id, report);
        OutputFolder.AssertNoTemporaries(merged);
    }

    [Fact]
    public void An_image_in_two_folders_or_a_folder_without_records_is_refused_before_anything_is_written()
    {
        string images = Path.Combine(dir, "images");
        SyntheticImages.Write(images, 2);
        string a = Path.Combine(dir, "a"), b = Path.Combine(dir, "b"), merged = Path.Combine(dir, "merged");
        Assert.Equal(0, SegmentCommand.Run(Classical([images], a)));
        Assert.Equal(0, SegmentCommand.Run(Classical([images], b, shard: "1/2")));

        Assert.Contains("is also in", Assert.Throws<NucleiInputException>(() => MergeCommand.Run([a, b], merged)).Message);
        Assert.Contains("not an output folder", Assert.Throws<NucleiInputException>(() => MergeCommand.Run([a, images], merged)).Message);
        Assert.Contains("is also --out", Assert.Throws<NucleiInputException>(() => MergeCommand.Run([a], a)).Message);
        Assert.False(Directory.Exists(merged));
    }

    [Fact]
    public void A_list_file_names_inputs_relative_to_its_folder()
    {
        string images = Path.Combine(dir, "images");
        var paths = SyntheticImages.Write(images, 3);
        string list = Path.Combine(dir, "inputs.txt");
        File.WriteAllLines(list, ["# two of three", "images/img00.png", "", Path.GetFullPath(paths[2])]);
        string outDir = Path.Combine(dir, "out");

        Assert.Equal(0, SegmentCommand.Run(Classical([], outDir, list: list)));

        Assert.Equal(["img00", "img02"], OutputFolder.Ids(Path.Combine(outDir, "summary.csv")));
        Assert.Contains("no input", Assert.Throws<NucleiInputException>(() => SegmentCommand.Run(Classical([], outDir))).Message);
        File.WriteAllText(list, "# nothing\n");
        Assert.Contains("names no image", Assert.Throws<NucleiInputException>(() => SegmentCommand.Run(Classical([], outDir, list: list))).Message);
    }
    [Fact]
    public void Block_wise_images_are_in_summary_csv_rerun_into_the_same_folder_and_merged()
    {
        string images = Path.Combine(dir, "images");
        SyntheticImages.Write(images, 3);
        var blocks = new Nuclei.Cli.Big.BlockChoice(true, new Nuclei.Core.Big.BlockOptions(BlockSize: 64, Context: 32));
        SegmentCommand.SegmentSettings Blockwise(string outDir, string? shard = null) =>
            new([images], outDir, Segmenter: new() { Method = SegmentationMethod.Classical }, Outputs: new OutputOptions(Measure: true), Shard: shard, Blocks: blocks);
        string single = Path.Combine(dir, "single"), merged = Path.Combine(dir, "merged");
        Assert.Equal(0, SegmentCommand.Run(Blockwise(single)));
        var ids = OutputFolder.Ids(Path.Combine(single, "summary.csv"));
        Assert.Equal(3, ids.Count);
        Assert.Equal(3, Directory.EnumerateFiles(single, "*.labels.tif").Count());
        Assert.Equal(0, SegmentCommand.Run(Blockwise(single)));   // its own earlier outputs are replaced, not refused
        Assert.Equal(3, OutputFolder.Ids(Path.Combine(single, "summary.csv")).Count);

        string[] shards = [Path.Combine(dir, "shard1"), Path.Combine(dir, "shard2")];
        for (int k = 1; k <= 2; k++) Assert.Equal(0, SegmentCommand.Run(Blockwise(shards[k - 1], $"{k}/2")));
        Assert.Equal(0, MergeCommand.Run(shards, merged));
        Assert.Equal(File.ReadAllText(Path.Combine(single, "summary.csv")), File.ReadAllText(Path.Combine(merged, "summary.csv")));
        foreach (string id in ids)
            foreach (string file in new[] { id + ".labels.tif", id + ".measurements.csv" })
                Assert.Equal(OutputFolder.Sha256(Path.Combine(single, file)), OutputFolder.Sha256(Path.Combine(merged, file)));
        OutputFolder.AssertNoTemporaries(merged);
    }
}
