using System.Text;
using Nuclei.Core;
using Nuclei.Core.Export;
using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;
using Nuclei.Core.Rle;
using Nuclei.Server.Sessions;

namespace Nuclei.Server.Downloads;

/// <summary>
/// The files of one image's current result, encoded in memory by the same exporters <c>nuclei segment</c> uses
/// (named as in its output folder, with the image's name as id). The one list of download kinds.
/// </summary>
public static class ImageFiles
{
    sealed record Kind(string Suffix, string ContentType, Func<ImageEntry, SessionResult, byte[]> Encode);

    static readonly IReadOnlyDictionary<string, Kind> Kinds = new Dictionary<string, Kind>(StringComparer.Ordinal)
    {
        ["labels.png"] = new(".labels.png", "image/png", (_, r) => ImageIO.EncodeLabels(r.Labels, ".png").Bytes),
        ["labels.tif"] = new(".labels.tif", "image/tiff", (_, r) => LabelTiff.Encode(r.Labels, null)),
        ["overlay.png"] = new(".overlay.png", "image/png", (e, r) => ImageIO.EncodeOverlay(e.Image, r.Labels, ".png")),
        ["measurements.csv"] = new(".measurements.csv", "text/csv", (e, r) => Utf8(MeasurementsCsv.Format([(e.Name, r.Nuclei)], null))),
        ["geojson"] = new(QuPathGeoJson.Extension, "application/geo+json",
            (_, r) => QuPathGeoJson.Encode(NucleusOutline.Of(r.Labels), r.Nuclei.ToDictionary(m => m.Label), null)),
        ["rois.zip"] = new(ImageJRoiZip.Extension, "application/zip", (_, r) => ImageJRoiZip.Encode(NucleusOutline.Of(r.Labels))),
        ["rle.csv"] = new(".rle.csv", "text/csv", (e, r) => Utf8(RleRows([e]))),
    };

    /// <summary>The kinds the page offers, in its order.</summary>
    public static IReadOnlyCollection<string> Names => Kinds.Keys.ToList();

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
