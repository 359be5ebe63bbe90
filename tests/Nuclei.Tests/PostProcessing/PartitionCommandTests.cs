using System.CommandLine;
using Nuclei.Cli.Commands;
using Nuclei.Core.Imaging;

namespace Nuclei.Tests.PostProcessing;

public class PartitionCommandTests
{
    static void WriteMap(string path, bool[] mask, int h, int w)
        => ImageIO.WriteImage8(path, new FloatImage(h, w, 1, Shapes.ToFloat(mask)));

    [Fact]
    public void Partitions_a_folder_and_goes_on_past_a_bad_map()
    {
        string dir = Path.Combine(Path.GetTempPath(), "nuclei-partition-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "body"));
            Directory.CreateDirectory(Path.Combine(dir, "contour"));
            int h = 40, w = 60;
            var discs = Shapes.Discs(h, w, (20, 22, 10), (20, 38, 10));
            var neck = new bool[h * w];
            for (int y = 0; y < h; y++) neck[y * w + 30] = discs[y * w + 30];
            WriteMap(Path.Combine(dir, "body", "good.png"), discs, h, w);
            WriteMap(Path.Combine(dir, "contour", "good.png"), neck, h, w);
            WriteMap(Path.Combine(dir, "body", "bad.png"), discs, h, w);
            WriteMap(Path.Combine(dir, "contour", "bad.png"), new bool[20 * 20], 20, 20); // wrong size

            var root = new RootCommand { PartitionCommand.Create() };
            string outDir = Path.Combine(dir, "out");
            int exit = root.Parse(new[] { "partition", "--body", Path.Combine(dir, "body"), "--contour", Path.Combine(dir, "contour"),
                "--out", outDir, "--policy", "rw" }).Invoke();

            Assert.Equal(1, exit); // one failure
            var labels = ImageIO.ReadLabels(Path.Combine(outDir, "good.labels.png"));
            Assert.Equal(2, labels.MaxLabel());
            Assert.True(File.Exists(Path.Combine(outDir, "good.overlay.png")));
            Assert.False(File.Exists(Path.Combine(outDir, "bad.labels.png")));
            Assert.Contains("good,2,", File.ReadAllText(Path.Combine(outDir, "summary.csv")));
        }
        finally { Directory.Delete(dir, true); }
    }
}
