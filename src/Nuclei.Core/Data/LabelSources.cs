using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
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
/// A folder of label maps may also hold 3D label stacks (<see cref="LabelSide.Stacks"/>): <c>&lt;id&gt;.stack.labels.tif</c> as
/// <c>segment --z stitch</c> writes them, or any multi-page TIFF (<c>&lt;id&gt;.tif</c>, <c>&lt;id&gt;.labels.tif</c>), id without
/// <c>.stack.labels</c>/<c>.labels</c>; they are never read as 2D maps.
/// </summary>
internal static class LabelSources
{
    /// <summary>The truth's 2D label maps (a folder's 3D stacks left out: see <see cref="OpenTruthSide"/>).</summary>
    public static IReadOnlyList<LabelEntry> OpenTruth(string path) => OpenTruthSide(path).Images;

    /// <summary>The truth's 2D label maps and, in a folder of label maps, its 3D label stacks.</summary>
    public static LabelSide OpenTruthSide(string path)
    {
        if (File.Exists(path)) return new LabelSide(FromCsv(path, solution: true), []);
        if (!Directory.Exists(path)) throw new NucleiInputException(path, "truth not found (expected a dataset folder or a solution CSV)");

        return HoldsImages(path) ? new LabelSide(FromDataset(path), []) : FromLabelFolder(path);
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

    /// <summary>The predictions' 2D label maps (a folder's 3D stacks left out: see <see cref="OpenPredictionSide"/>).</summary>
    public static IReadOnlyList<LabelEntry> OpenPredictions(string path) => OpenPredictionSide(path).Images;

    /// <summary>The predictions' 2D label maps and, in a folder of label maps, its 3D label stacks.</summary>
    public static LabelSide OpenPredictionSide(string path)
    {
        if (File.Exists(path)) return new LabelSide(FromCsv(path, solution: false), []);
        if (!Directory.Exists(path)) throw new NucleiInputException(path, "predictions not found (expected a folder of label maps or a submission CSV)");
        // A DSB-layout folder (as `data convert --to dsb` writes one): one mask per predicted nucleus.
        return DsbDataset.IsDsbLayout(path) ? new LabelSide(FromDataset(path), []) : FromLabelFolder(path);
    }

    static LabelSide FromLabelFolder(string dir)
    {
        var entries = new List<LabelEntry>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var candidates = Directory.EnumerateFiles(dir)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".png" or ".tif" or ".tiff" && ImageIO.IsImageFile(f) && !InputCollector.IsOverlayFile(f))
            .Order(StringComparer.Ordinal).ToList();
        // Where `.labels` maps exist (segment's outputs, possibly beside their input images), only they are label maps,
        // also those in sub-folders (a recursive `segment` mirrors its input folders; their ids are relative paths).
        var nested = NestedLabelMaps(dir).ToList();
        bool labelled = candidates.Any(DsbDataset.IsLabelsFile) || nested.Count > 0;
        if (labelled) candidates = candidates.Where(DsbDataset.IsLabelsFile).ToList();
        // A multi-page TIFF is a 3D stack, never a 2D map (a --z stitch stack's planes' 2D maps are beside it).
        var stackFiles = candidates.Where(IsStackCandidate).Concat(NestedStacks(dir)).ToList();
        var files = candidates.Except(stackFiles).Concat(nested).ToList();
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
        var stacks = StacksOf(dir, stackFiles);
        if (entries.Count == 0 && stacks.Count == 0)
            throw new NucleiInputException(dir, "folder holds no label maps (<id>.labels.png, <id>.png, <id>.tif) and is not a DSB-layout dataset");
        return new LabelSide(entries, stacks);
    }

    /// <summary>A stack's id: its path in the folder without <c>.stack.labels.tif</c>, <c>.labels.tif</c> or <c>.tif</c>; two files of one id are refused.</summary>
    static IReadOnlyList<LabelStackEntry> StacksOf(string dir, IReadOnlyList<string> files)
    {
        var stacks = new Dictionary<string, LabelStackEntry>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            string id = Path.GetRelativePath(dir, file).Replace(Path.DirectorySeparatorChar, '/');
            id = Export.LabelStackTiff.IsStackFile(id) ? id[..^Export.LabelStackTiff.Extension.Length] : id[..^Path.GetExtension(id).Length];
            if (id.EndsWith(DsbDataset.LabelsSuffix, StringComparison.OrdinalIgnoreCase)) id = id[..^DsbDataset.LabelsSuffix.Length];
            if (stacks.TryGetValue(id, out var other))
                throw new NucleiInputException(file, $"a second label stack for image '{id}' (the first is {other.Source})");
            stacks[id] = new LabelStackEntry(id, file);
        }
        return stacks.Values.ToList();
    }

    /// <summary>A TIFF of several pages, or a file named as a --z stitch stack (so a damaged one is refused by name, not read as 2D).</summary>
    static bool IsStackCandidate(string file)
    {
        if (Path.GetExtension(file).ToLowerInvariant() is not (".tif" or ".tiff")) return false;
        try { return LabelStackFile.IsStack(file); }
        catch (NucleiInputException) { return false; }   // unreadable headers: the 2D reader names the problem
    }

    /// <summary>The <c>.stack.labels.tif</c> files in the sub-folders of <paramref name="dir"/> (as a recursive <c>segment --z stitch</c> writes them).</summary>
    static IEnumerable<string> NestedStacks(string dir) =>
        Directory.EnumerateDirectories(dir).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.EnumerateFiles(d).Where(Export.LabelStackTiff.IsStackFile).Order(StringComparer.Ordinal).Concat(NestedStacks(d)));

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
