using System.Text;
using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;
using Nuclei.Core.Output;
using Nuclei.Core.Rle;
using Nuclei.Server.Sessions;

namespace Nuclei.Server.Downloads;

/// <summary>
/// The files of one image's current result, encoded in memory by the same exporters <c>nuclei segment</c> uses
/// (named as in its output folder, with the image's name as id). The one list of download kinds.
/// </summary>
internal static class ImageFiles
{
    sealed record Kind(string Suffix, string Label, string ContentType, Func<ImageEntry, SessionResult, byte[]> Encode);

    // The page's own files, then one per export format (ExportFormats), then the run-length rows; a kind is its suffix.
    static readonly IReadOnlyDictionary<string, Kind> Kinds = new Kind[]
        {
            new(OutputLayout.LabelsSuffix + ".png", "labels PNG", "image/png", (_, r) => ImageIO.EncodeLabels(r.Labels, ".png").Bytes),
            new(OutputLayout.OverlaySuffix + ".png", "overlay", "image/png", (e, r) => ImageIO.EncodeOverlay(e.Image, r.Labels, ".png")),
            new(".measurements.csv", "measurements CSV", "text/csv", (e, r) => Utf8(MeasurementsCsv.Format([(e.Name, r.Nuclei)], null))),
        }
        .Concat(ExportFormats.All.Select(x => new Kind(x.Suffix, x.Label, x.ContentType, (_, r) => x.Encode(r.Labels, null, r.Nuclei))))
        .Append(new(".rle.csv", "run-length CSV", "text/csv", (e, r) => Utf8(RleRows([e]))))
        .ToDictionary(k => k.Suffix[1..], StringComparer.Ordinal);

    /// <summary>The kinds the page offers, in its order.</summary>
    public static IReadOnlyCollection<string> Names => Kinds.Keys.ToList();

    /// <summary>What the page calls each kind.</summary>
    public static IReadOnlyDictionary<string, string> Labels => Kinds.ToDictionary(k => k.Key, k => k.Value.Label);

    /// <exception cref="NucleiInputException">an unknown kind</exception>
    public static DownloadFile Make(ImageEntry entry, string kind)
    {
        if (!Kinds.TryGetValue(kind, out var k))
            throw new NucleiInputException(null, $"unknown download '{UntrustedText.Clean(kind, 40)}' (known: {string.Join(", ", Kinds.Keys)})");
        var result = entry.Result;
        return new DownloadFile(entry.Name + k.Suffix, k.ContentType, k.Encode(entry, result));
    }

    /// <summary>Every kind of file of one image.</summary>
    public static IEnumerable<DownloadFile> All(ImageEntry entry) => Kinds.Keys.Select(k => Make(entry, k));

    /// <summary>The run-length CSV (Kaggle submission layout) of the images' current labels.</summary>
    public static string RleRows(IEnumerable<ImageEntry> entries) =>
        SubmissionCsv.Format(entries.SelectMany(e => SubmissionCsv.EncodedPixels(e.Result.Labels).Select(rle => (e.Name, rle))));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
