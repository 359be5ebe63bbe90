using Nuclei.Core.Imaging;
using Nuclei.Core.Rle;

namespace Nuclei.Core.Data;

/// <summary>
/// Opens the two sides of an evaluation by id.
/// Truth: a DSB-layout folder (masks), a flat labelled folder (<c>&lt;id&gt;.labels.png</c>), a folder of label maps
/// (<c>&lt;id&gt;.png</c>/<c>.tif</c>), or a solution-style CSV (<c>ImageId,EncodedPixels,Height,Width</c>).
/// Predictions: a DSB-layout folder (one mask per nucleus), a folder of label maps (<c>&lt;id&gt;.labels.png</c>/<c>.labels.tif</c> as <c>nuclei segment</c> writes them,
/// or <c>&lt;id&gt;.png</c>/<c>.tif</c>/<c>.tiff</c>; the <c>.labels</c> suffix is stripped; <c>.labels</c> maps in
/// sub-folders count too, with their relative path as id (<c>sub/x</c>, as a recursive <c>segment</c> writes them); overlays, summary.csv and
/// temporary files of unfinished writes are ignored) or a submission CSV
/// (<c>ImageId,EncodedPixels</c>; predicted objects must not overlap).
/// </summary>
public static class LabelSources
{
    public static IReadOnlyList<LabelEntry> OpenTruth(string path)
    {
        if (File.Exists(path)) return FromCsv(path, solution: true);
        if (!Directory.Exists(path)) throw new NucleiInputException(path, "truth not found (expected a dataset folder or a solution CSV)");

        return HoldsImages(path) ? FromDataset(path) : FromLabelFolder(path);
    }

    /// <summary>The annotations of a DSB-layout or flat labelled dataset, by id; an image without any is an error.</summary>
    static IReadOnlyList<LabelEntry> FromDataset(string path)
    {
        var samples = DsbDataset.Scan(path).Samples;
        var unannotated = samples.Where(s => !s.HasAnnotation).Select(s => s.Id).ToList();
        if (unannotated.Count > 0)
            throw new NucleiInputException(path,
                $"{unannotated.Count} image(s) have no annotation (no masks or label map), e.g. {string.Join(", ", unannotated.Take(3))}");
        return samples.Select(s => new LabelEntry(s.Id, s.LabelsPath ?? Path.GetDirectoryName(s.MaskPaths[0])!,
            _ => DsbDataset.LoadLabels(s))).ToList();
    }

    /// <summary>
    /// The images beside a truth, by id: those of a DSB-layout or flat labelled folder; none for a folder of label
    /// maps or a CSV, which hold no images.
    /// </summary>
    public static IReadOnlyDictionary<string, string> TruthImages(string path)
    {
        if (!Directory.Exists(path) || !HoldsImages(path)) return new Dictionary<string, string>();
        return DsbDataset.Scan(path).Samples.ToDictionary(s => s.Id, s => s.ImagePath, StringComparer.Ordinal);
    }

    /// <summary>
    /// True for a truth folder with images: the DSB layout, or images beside label maps (a flat labelled dataset);
    /// false for label maps only (a `nuclei segment` output), read as a folder of label maps.
    /// </summary>
    static bool HoldsImages(string folder)
    {
        if (DsbDataset.IsDsbLayout(folder)) return true;
        var files = Directory.EnumerateFiles(folder).Where(ImageIO.IsImageFile).ToList();
        return files.Any(DsbDataset.IsLabelsFile) && files.Any(f => !DsbDataset.IsLabelsFile(f) && !InputCollector.IsOverlayFile(f));
    }

    public static IReadOnlyList<LabelEntry> OpenPredictions(string path)
    {
        if (File.Exists(path)) return FromCsv(path, solution: false);
        if (!Directory.Exists(path)) throw new NucleiInputException(path, "predictions not found (expected a folder of label maps or a submission CSV)");
        // A DSB-layout folder (as `data convert --to dsb` writes one): one mask per predicted nucleus.
        return DsbDataset.IsDsbLayout(path) ? FromDataset(path) : FromLabelFolder(path);
    }

    static IReadOnlyList<LabelEntry> FromLabelFolder(string dir)
    {
        var entries = new List<LabelEntry>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(dir)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".png" or ".tif" or ".tiff" && ImageIO.IsImageFile(f) && !InputCollector.IsOverlayFile(f)
                && !Export.LabelStackTiff.IsStackFile(f))   // a --z stitch stack is 3D; its planes' 2D maps are beside it
            .Order(StringComparer.Ordinal).ToList();
        // Where `.labels` maps exist (segment's outputs, possibly beside their input images), only they are label maps,
        // also those in sub-folders (a recursive `segment` mirrors its input folders; their ids are relative paths).
        var nested = NestedLabelMaps(dir).ToList();
        if (files.Any(DsbDataset.IsLabelsFile) || nested.Count > 0) files = files.Where(DsbDataset.IsLabelsFile).Concat(nested).ToList();
        foreach (string file in files)
        {
            string id = Path.GetRelativePath(dir, Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileNameWithoutExtension(file)))
                .Replace(Path.DirectorySeparatorChar, '/');
            if (id.EndsWith(DsbDataset.LabelsSuffix, StringComparison.OrdinalIgnoreCase)) id = id[..^DsbDataset.LabelsSuffix.Length];
            if (seen.TryGetValue(id, out string? other))
            {
                // `segment --export tiff` writes <id>.labels.tif beside <id>.labels.png: the same map, read once.
                if (IsTiffExportBeside(file, other)) continue;
                throw new NucleiInputException(file, $"a second label map for image '{id}' (the first is {other})");
            }
            seen[id] = file;
            entries.Add(new LabelEntry(id, file, size =>
            {
                Nuclei.Core.IO.RegularFile.Require(file, "label map");
                var labels = ImageIO.ReadLabels(file);
                if (size is var (h, w) && (labels.Height != h || labels.Width != w))
                    throw new NucleiInputException(file, $"label map is {labels.Height}x{labels.Width} but the truth for '{id}' is {h}x{w}");
                return labels;
            }));
        }
        if (entries.Count == 0) throw new NucleiInputException(dir, "folder holds no label maps (<id>.labels.png, <id>.png, <id>.tif) and is not a DSB-layout dataset");
        return entries;
    }

    /// <summary>The <c>.labels</c> maps in the sub-folders of <paramref name="dir"/> (hidden folders, such as the records, skipped).</summary>
    static IEnumerable<string> NestedLabelMaps(string dir) =>
        Directory.EnumerateDirectories(dir).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.EnumerateFiles(d).Where(f => DsbDataset.IsLabelsFile(f) && ImageIO.IsImageFile(f) && !Export.LabelStackTiff.IsStackFile(f))
                .Order(StringComparer.Ordinal)
                .Concat(NestedLabelMaps(d)));

    static bool IsTiffExportBeside(string file, string first) =>
        file.EndsWith(DsbDataset.LabelsSuffix + ".tif", StringComparison.OrdinalIgnoreCase)
        && first.EndsWith(DsbDataset.LabelsSuffix + ".png", StringComparison.OrdinalIgnoreCase);

    static IReadOnlyList<LabelEntry> FromCsv(string path, bool solution)
    {
        var rows = solution ? SubmissionCsv.ReadSolution(path) : SubmissionCsv.Read(path);
        return SubmissionCsv.GroupByImage(rows).Select(img => new LabelEntry(img.Id, path, size =>
        {
            if (solution) return img.ToLabels(allowOverlap: true); // some published truths overlap; the later object wins
            var (h, w) = size ?? throw new InvalidOperationException($"a submission CSV needs the truth's size to decode image {img.Id}");
            return img.ToLabels(h, w, allowOverlap: false);
        })).ToList();
    }
}
