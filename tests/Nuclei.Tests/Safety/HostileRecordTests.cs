using System.Text.Json;
using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Output;
using Nuclei.Torch.Training;

namespace Nuclei.Tests.Safety;

/// <summary>
/// Every reader of image records holds them to the writer's rule: a record whose id or files would leave its folder,
/// or that lies where its id does not put it, is refused with a one-line error naming its file, never followed.
/// </summary>
public sealed class HostileRecordTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-records-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A shard folder of two segmented images, whose record of img01 is rewritten by <paramref name="tamper"/>.</summary>
    string ShardWithTamperedRecord(Func<JsonElement, Dictionary<string, object?>> tamper, string recordName = "img01.json")
    {
        string images = Path.Combine(dir, "images"), shard = Path.Combine(dir, "shard");
        SyntheticImages.Write(images, 2);
        Assert.Equal(0, SegmentCommand.Run(new SegmentCommand.SegmentSettings([images], shard, Segmenter: new() { Method = SegmentationMethod.Classical })));
        string record = Path.Combine(shard, ImageRecords.FolderName, "img01.json");
        var fields = tamper(JsonDocument.Parse(File.ReadAllBytes(record)).RootElement);
        File.Delete(record);
        File.WriteAllText(Path.Combine(shard, ImageRecords.FolderName, recordName), JsonSerializer.Serialize(fields));
        return shard;
    }

    static Dictionary<string, object?> With(JsonElement record, string key, object? value)
    {
        var fields = record.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        fields[key] = value;
        return fields;
    }

    [Theory]
    [InlineData("/elsewhere/pwned", "is an absolute path")]
    [InlineData("../../escape/rel", "'..' part")]
    [InlineData("a\nb", "control character U+000A")]
    public void Merge_refuses_a_record_whose_id_leaves_the_folder_writes_nothing_outside_and_exits_1(string id, string problem)
    {
        string shard = ShardWithTamperedRecord(r => With(r, "Image", id));
        string merged = Path.Combine(dir, "deep", "er", "merged"); // deep enough that "../.." stays in this test's folder
        var before = AllFiles();

        var (exit, err) = KillAndDiskFullTests.RunCli(["merge", shard, "--out", merged]);

        Assert.Equal(1, exit);
        Assert.Contains($"{Path.Combine(shard, ImageRecords.FolderName, "img01.json")}: image record refused:", err);
        Assert.Contains(problem, err);
        Assert.Contains("1 of 2 item(s) failed", err);
        Assert.Equal(["img00"], OutputFolder.Ids(Path.Combine(merged, "summary.csv")));
        var created = AllFiles().Except(before).Where(f => !f.StartsWith(merged + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        Assert.Empty(created);
        Assert.False(Directory.Exists("/elsewhere"));
    }

    [Fact]
    public void Merge_refuses_a_record_that_lies_where_its_id_does_not_put_it_or_lists_a_file_outside()
    {
        string shard = ShardWithTamperedRecord(r => With(r, "Image", "img01"), recordName: "other.json");
        var (exit, err) = KillAndDiskFullTests.RunCli(["merge", shard, "--out", Path.Combine(dir, "m1")]);
        Assert.Equal(1, exit);
        Assert.Contains("other.json: image record refused: it holds the record of image 'img01', whose record is", err);

        Directory.Delete(shard, recursive: true);
        Directory.Delete(Path.Combine(dir, "images"), recursive: true);
        shard = ShardWithTamperedRecord(r => With(r, "Files", new[] { new RecordedFile("../outside.png", 3) }));
        (exit, err) = KillAndDiskFullTests.RunCli(["merge", shard, "--out", Path.Combine(dir, "m2")]);
        Assert.Equal(1, exit);
        Assert.Contains("image record refused: it lists the file '../outside.png', which has an empty, '.' or '..' part", err);
    }

    [Fact]
    public void Adopt_itself_refuses_an_id_that_leaves_the_folder()
    {
        var writer = new SegmentationOutputWriter(Path.Combine(dir, "out"));
        var record = new ImageRecord("/elsewhere/pwned", 0, 0, [], []);
        var e = Assert.Throws<NucleiInputException>(() => writer.Adopt(dir, record));
        Assert.Contains("cannot name an output file: it is an absolute path", e.Message);
    }

    [Fact]
    public void A_segment_run_counts_a_refused_record_of_its_folder_as_a_failure_and_leaves_it_out()
    {
        string shard = ShardWithTamperedRecord(r => With(r, "Image", "../x"));
        string images = Path.Combine(dir, "images");
        var (exit, err) = KillAndDiskFullTests.RunCli(["segment", Path.Combine(images, "img00.png"), "--out", shard, "--method", "classical"]);

        Assert.Equal(1, exit);
        Assert.Contains("1 problem(s) with the run's own files:", err);
        Assert.DoesNotContain("item(s) failed", err);
        Assert.Contains("img01.json: image record refused", err);
        Assert.Equal(["img00"], OutputFolder.Ids(Path.Combine(shard, "summary.csv")));
    }

    [Theory]
    [InlineData("../elsewhere.nck")]
    [InlineData("/tmp/elsewhere.nck")]
    public void A_checkpoint_pointer_that_leads_out_of_the_run_folder_is_refused(string target)
    {
        File.WriteAllText(Path.Combine(dir, CheckpointPointer.FileName), JsonSerializer.Serialize(new { Checkpoint = target, Epoch = 1 }));
        var e = Assert.Throws<NucleiInputException>(() => CheckpointPointer.Read(dir));
        Assert.Contains("which is not a file of this run folder", e.Message);
    }

    HashSet<string> AllFiles() => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToHashSet();
}
