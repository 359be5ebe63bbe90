namespace Nuclei.Core.Data.Checking;

/// <summary>
/// Writes the corrected copy of a checked dataset, in the layout it came in (DSB: <c>&lt;id&gt;/images</c> with one
/// 0/255 mask per nucleus in <c>&lt;id&gt;/masks</c>; flat: <c>&lt;id&gt;.png</c> beside <c>&lt;id&gt;.labels.png</c>).
/// Images are copied byte for byte. Images with no usable nucleus are left out. The copy is built in a sibling folder
/// and renamed into place, so the output folder never exists half-written; it must not exist beforehand.
/// </summary>
internal static class FixedCopy
{
    /// <returns>the ids written and the ids left out</returns>
    public static (List<string> Written, List<string> LeftOut) Write(string outDir, IReadOnlyList<SampleCheck> checks, bool dsbLayout)
    {
        var written = new List<string>();
        var leftOut = new List<string>();
        StagingFolder.Build(outDir, staging =>
        {
            foreach (var check in checks)
            {
                if (check.Fixed is not { } labels || labels.MaxLabel() == 0) { leftOut.Add(check.Sample.Id); continue; }
                var sample = check.Sample;
                SampleWriter.Write(staging, sample.Id, Path.GetFileName(sample.ImagePath), to => File.Copy(sample.ImagePath, to), labels, dsbLayout);
                written.Add(sample.Id);
            }
            return written.Count;
        });
        return (written, leftOut);
    }
}
