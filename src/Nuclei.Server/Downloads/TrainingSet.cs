using System.Text.Json;
using Nuclei.Core;
using Nuclei.Core.IO;
using Nuclei.Server.Api;
using Nuclei.Server.Engine;
using Nuclei.Server.Sessions;

namespace Nuclei.Server.Downloads;

/// <summary>
/// The session's corrected images as a training set in the DSB layout <c>nuclei train --data</c> reads
/// (<c>&lt;id&gt;/images/&lt;id&gt;.png</c>, <c>&lt;id&gt;/masks/NNNN.png</c> one 0/255 mask per nucleus) with provenance.json,
/// zipped in memory: nothing is written on the server.
/// </summary>
internal static class TrainingSet
{
    public const string ZipName = "nuclei-training-set.zip";

    /// <exception cref="NucleiInputException">no image of the session has saved corrections</exception>
    public static DownloadFile Zip(IReadOnlyList<ImageEntry> entries, ISegmentationEngine engine, DateTimeOffset now)
    {
        var corrected = Corrected(entries);
        if (corrected.Count == 0)
            throw new NucleiInputException(null, "no image of this session has saved corrections: edit an image on the page and save it first");
        var files = new List<(string Name, byte[] Bytes)>();
        var images = new List<ProvenanceImage>();
        foreach (var (entry, result, id) in SampleIds(corrected))
            images.Add(AddSample(files, entry, result, id));
        var provenance = new TrainingSetProvenance("nuclei serve", TrainingSetProvenance.Version, now, ProvenanceModel.Of(engine), images,
            entries.Where(e => e.Result.Correction is null).Select(e => e.Name).ToList());
        files.Add((TrainingSetProvenance.FileName, JsonSerializer.SerializeToUtf8Bytes(provenance, SnakeCaseJson.Options)));
        return new DownloadFile(ZipName, "application/zip", ZipFiles.Zip(files));
    }

    /// <summary>The entries whose labels are the user's, each with that result (read once: a save meanwhile changes nothing here).</summary>
    public static List<(ImageEntry Entry, SessionResult Result)> Corrected(IEnumerable<ImageEntry> entries) =>
        entries.Select(e => (Entry: e, Result: e.Result)).Where(x => x.Result.Correction is not null).ToList();

    static ProvenanceImage AddSample(List<(string, byte[])> files, ImageEntry entry, SessionResult result, string id)
    {
        var (png, note) = TrainingPicture.Encode(entry.Image);
        files.Add(($"{id}/images/{id}.png", png));
        int n = 0;
        foreach (byte[] mask in NucleusMasks.Encode(result.Labels)) files.Add(($"{id}/masks/{++n:D4}.png", mask));
        var fields = entry.Fields;
        return new ProvenanceImage(id, entry.Image.Width, entry.Image.Height, note, fields.Planes.Channel,
            fields.Planes.Z == ZProjection.None ? null : fields.Planes.Z.ToString().ToLowerInvariant(), fields.Diameter?.ToString(),
            result.Thresholds, result.Correction!.CountBefore, n, result.Correction.SavedUtc);
    }

    /// <summary>
    /// Sample ids: the images' names (unique in the session, safe as file names), except that <c>train</c> and
    /// <c>valid</c> get a suffix: a set holding both folders would be read as its own train/valid split.
    /// </summary>
    static IEnumerable<(ImageEntry, SessionResult, string)> SampleIds(List<(ImageEntry Entry, SessionResult Result)> corrected)
    {
        var taken = corrected.Select(c => c.Entry.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (entry, result) in corrected)
        {
            string id = entry.Name;
            if (id.Equals("train", StringComparison.OrdinalIgnoreCase) || id.Equals("valid", StringComparison.OrdinalIgnoreCase))
            {
                int k = 1;
                while (taken.Contains($"{entry.Name}-image{(k == 1 ? "" : k)}")) k++;
                id = $"{entry.Name}-image{(k == 1 ? "" : k)}";
                taken.Add(id);
            }
            yield return (entry, result, id);
        }
    }
}
