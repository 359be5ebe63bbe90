using Nuclei.Core.Imaging;
using Nuclei.Core.IO;

namespace Nuclei.Tests.Safety;

/// <summary>Checks on an output folder after a failure: no temporaries, every image decodes, what summary.csv lists.</summary>
public static class OutputFolder
{
    public static void AssertNoTemporaries(string dir) =>
        Assert.DoesNotContain(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories), TemporaryFiles.IsTemporary);

    /// <summary>Decodes every PNG/TIFF under <paramref name="dir"/> (label maps as labels, the rest as images); returns how many.</summary>
    public static int AssertEveryImageDecodes(string dir)
    {
        int n = 0;
        foreach (string file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Where(ImageIO.IsImageFile))
        {
            if (Path.GetFileName(file).Contains(".labels.")) ImageIO.ReadLabels(file);
            else ImageIO.ReadImage(file);
            n++;
        }
        return n;
    }

    /// <summary>The image ids of a summary.csv (or the distinct ids of a submission CSV), in file order.</summary>
    public static List<string> Ids(string csv) =>
        File.ReadAllLines(csv).Skip(1).Select(l => Nuclei.Core.Rle.CsvLine.Split(l)[0]).Select(CsvTable.ReadText).ToList();

    public static string Sha256(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
