using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data.Checking;

/// <summary>
/// Writes the corrected copy of a checked dataset, in the layout it came in (DSB: <c>&lt;id&gt;/images</c> with one
/// 0/255 mask per nucleus in <c>&lt;id&gt;/masks</c>; flat: <c>&lt;id&gt;.png</c> beside <c>&lt;id&gt;.labels.png</c>).
/// Images are copied byte for byte. Images with no usable nucleus are left out. The copy is built in a sibling folder
/// and renamed into place, so the output folder never exists half-written; it must not exist beforehand.
/// </summary>
public static class FixedCopy
{
    /// <returns>the ids written and the ids left out</returns>
    public static (List<string> Written, List<string> LeftOut) Write(string outDir, IReadOnlyList<SampleCheck> checks, bool dsbLayout)
    {
        RequireNew(outDir);
        string target = Path.GetFullPath(outDir);
        string staging = StagingFolder.Create(target);
        var written = new List<string>();
        var leftOut = new List<string>();
        try
        {
            foreach (var check in checks)
            {
                if (check.Fixed is not { } labels || labels.MaxLabel() == 0) { leftOut.Add(check.Sample.Id); continue; }
                if (dsbLayout) WriteDsb(staging, check.Sample, labels);
                else WriteFlat(staging, check.Sample, labels);
                written.Add(check.Sample.Id);
            }
            StagingFolder.Publish(staging, target);
        }
        finally { StagingFolder.Discard(staging); }
        return (written, leftOut);
    }

    /// <summary>Stops with an input error when <paramref name="outDir"/> exists: a corrected copy never overwrites.</summary>
    public static void RequireNew(string outDir)
    {
        if (Directory.Exists(outDir) || File.Exists(outDir))
            throw new NucleiInputException(outDir, "already exists; a corrected copy goes to a new folder and never overwrites");
    }

    static void WriteDsb(string root, AnnotatedSample sample, LabelImage labels)
    {
        string images = Directory.CreateDirectory(Path.Combine(root, sample.Id, "images")).FullName;
        File.Copy(sample.ImagePath, Path.Combine(images, Path.GetFileName(sample.ImagePath)));
        string masks = Directory.CreateDirectory(Path.Combine(root, sample.Id, "masks")).FullName;
        foreach (var (label, mask) in DsbMasks.Split(labels))
            ImageIO.WriteImage8(Path.Combine(masks, $"{sample.Id}-{label:D4}.png"), mask);
    }

    static void WriteFlat(string root, AnnotatedSample sample, LabelImage labels)
    {
        File.Copy(sample.ImagePath, Path.Combine(root, Path.GetFileName(sample.ImagePath)));
        ImageIO.WriteLabels(Path.Combine(root, sample.Id + DsbDataset.LabelsSuffix + ".png"), labels);
    }
}
