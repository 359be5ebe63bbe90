using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Inference;

public class EnsembleDescriptionTests
{
    [Fact]
    public void A_written_description_reads_back_relative_to_its_folder_and_expands_with_scaled_weights()
    {
        using var t = new TestCheckpoints();
        string a = t.Save(seed: 1, fileName: "a.nck"), b = t.Save(seed: 2, fileName: "b.nck");
        Directory.CreateDirectory(Path.Combine(t.Dir, "sub"));
        string ens = Path.Combine(t.Dir, "sub", "e.nens");
        EnsembleDescription.Write(ens, [new ModelReference(a, 1), new ModelReference(b, 3)]);
        Assert.Contains("\"../a.nck\"", File.ReadAllText(ens));   // relative, so the folder can move

        var members = ModelReference.Expand([ens, a], [2f, 1f]);
        Assert.Equal([a, b, a], members.Select(m => m.Path));
        Assert.Equal([2f, 6f, 1f], members.Select(m => m.Weight));
    }

    [Fact]
    public void Segment_with_a_description_equals_segment_with_its_members()
    {
        using var t = new TestCheckpoints();
        string a = t.Save(seed: 1, fileName: "a.nck"), b = t.Save(seed: 2, fileName: "b.nck");
        string ens = Path.Combine(t.Dir, "e.nens");
        EnsembleDescription.Write(ens, [new ModelReference(a), new ModelReference(b)]);
        string image = t.WriteImage("x.png", SyntheticModels.RandomImage(40, 48, 3, seed: 3));
        LabelImage Segment(string name, params string[] models)
        {
            string outDir = Path.Combine(t.Dir, name);
            var settings = new SegmentCommand.SegmentSettings([image], outDir, Segmenter: new() { Models = models }, SaveMaps: true);
            Assert.Equal(0, SegmentCommand.Run(settings));
            return ImageIO.ReadLabels(Path.Combine(outDir, "x.labels.png"));
        }
        Assert.Equal(Segment("members", a, b).Data, Segment("description", ens).Data);
        Assert.Equal(File.ReadAllBytes(Path.Combine(t.Dir, "members", "maps", "semantic", "x.png")),
            File.ReadAllBytes(Path.Combine(t.Dir, "description", "maps", "semantic", "x.png")));
    }

    [Fact]
    public void Bad_descriptions_are_refused_naming_the_file_and_the_problem()
    {
        using var t = new TestCheckpoints();
        string a = t.Save(fileName: "a.nck");
        string Write(string name, string json) { string p = Path.Combine(t.Dir, name); File.WriteAllText(p, json); return p; }
        string Members(params string[] paths) =>
            "{\"format\":\"nuclei-ensemble\",\"version\":1,\"members\":[" + string.Join(",", paths.Select(p => $"{{\"path\":\"{p}\"}}")) + "]}";

        void Refused(string path, string expected)
        {
            var e = Assert.Throws<NucleiInputException>(() => CheckpointModels.LoadAll([path]));
            Assert.Contains(expected, e.Message);
        }
        Refused(Write("empty.nens", Members()), "lists no members");
        Refused(Write("missing.nens", Members("a.nck", "gone.nck")), "gone.nck does not exist");
        Refused(Write("self.nens", Members("self.nens")), "lists itself");
        Write("loop-b.nens", Members("loop-a.nens"));
        Refused(Write("loop-a.nens", Members("loop-b.nens")), "which lists it back");
        Refused(Write("json.nens", "{ members: "), "not valid JSON");
        Refused(Write("other.nens", "{\"format\":\"something\"}"), "not an ensemble description");
        Refused(Write("weight.nens", "{\"format\":\"nuclei-ensemble\",\"version\":1,\"members\":[{\"path\":\"a.nck\",\"weight\":-1}]}"), "weight must be a non-negative number");
        Refused(Path.Combine(t.Dir, "absent.nens"), "absent.nens");

        string two = Write("two.nens", Members("a.nck", "a.nck"));
        Assert.Contains("tune takes one checkpoint", Assert.Throws<NucleiInputException>(() => ModelReference.Single(two, "tune")).Message);
        Assert.Equal(a, ModelReference.Single(Write("one.nens", Members("a.nck")), "tune"));
    }
}
