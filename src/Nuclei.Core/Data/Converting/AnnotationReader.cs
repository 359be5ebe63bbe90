using Nuclei.Core.Imaging;
using Nuclei.Core.Rle;

namespace Nuclei.Core.Data.Converting;

/// <summary>Opens an annotated dataset in any <see cref="AnnotationFormat"/> as image files with their label maps, sorted by id.</summary>
internal static class AnnotationReader
{
    public static IReadOnlyList<ConvertibleSample> Open(AnnotationFormat format, string path, string? imagesDir) => format switch
    {
        AnnotationFormat.Dsb => Dsb(path),
        AnnotationFormat.Labels => Paired(path, path, ".labels", "_labels"),
        AnnotationFormat.Cellpose => Paired(path, path, "_masks"),
        AnnotationFormat.StarDist => Paired(Path.Combine(path, "images"), Path.Combine(path, "masks"), ""),
        AnnotationFormat.Rle => RunLengthCsv(path, imagesDir ?? throw new NucleiInputException(path, "a run-length CSV holds no images: give the folder that has them (--images)")),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    static IReadOnlyList<ConvertibleSample> Dsb(string root)
    {
        if (!DsbDataset.IsDsbLayout(root)) throw new NucleiInputException(root, "not a DSB-layout folder (expected <id>/images/<id>.png and <id>/masks/*.png)");
        return DsbDataset.Scan(root).Samples.Select(s => new ConvertibleSample(s.Id, s.ImagePath, () =>
            s.HasAnnotation ? DsbDataset.Load(s).Labels : throw new NucleiInputException(s.ImagePath, "no masks"))).ToList();
    }

    /// <summary>
    /// Images in <paramref name="imageDir"/> paired by id with label maps in <paramref name="labelDir"/> named
    /// <c>&lt;id&gt;&lt;suffix&gt;.png/.tif</c> (the first suffix that matches). An image without a label map fails when loaded.
    /// </summary>
    static IReadOnlyList<ConvertibleSample> Paired(string imageDir, string labelDir, params string[] suffixes)
    {
        foreach (string d in new[] { imageDir, labelDir }.Distinct())
            if (!Directory.Exists(d)) throw new NucleiInputException(d, "folder not found");
        var labelFiles = Directory.EnumerateFiles(labelDir).Where(IsLabelFile).ToList();
        string? LabelOf(string id) => suffixes.Select(sfx => labelFiles.FirstOrDefault(f => Path.GetFileNameWithoutExtension(f) == id + sfx)).FirstOrDefault(f => f != null);
        bool IsLabel(string file) => imageDir == labelDir && suffixes.Any(sfx => Path.GetFileNameWithoutExtension(file).EndsWith(sfx, StringComparison.Ordinal));
        var images = Directory.EnumerateFiles(imageDir).Where(f => ImageIO.IsImageFile(f) && !IsLabel(f) && !InputCollector.IsOverlayFile(f))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (images.Count == 0) throw new NucleiInputException(imageDir, "no images found");
        return images.Select(image =>
        {
            string id = Path.GetFileNameWithoutExtension(image);
            string? labels = LabelOf(id);
            return new ConvertibleSample(id, image, () =>
            {
                if (labels is null) throw new NucleiInputException(image, $"no label map {id}{suffixes[0]}.png/.tif in {labelDir}");
                return SameSize(ImageIO.ReadLabels(labels), labels, image);
            });
        }).ToList();
    }

    static bool IsLabelFile(string f) => Path.GetExtension(f).ToLowerInvariant() is ".png" or ".tif" or ".tiff";

    /// <summary>Rows of the CSV grouped by image; each image found in <paramref name="imagesDir"/> (searched recursively) by file name = id.</summary>
    static IReadOnlyList<ConvertibleSample> RunLengthCsv(string csv, string imagesDir)
    {
        if (!Directory.Exists(imagesDir)) throw new NucleiInputException(imagesDir, "images folder not found");
        Nuclei.Core.IO.RegularFile.Require(csv, "run-length CSV");
        bool sized = File.ReadLines(csv).FirstOrDefault() is string header && header.Contains("Height", StringComparison.OrdinalIgnoreCase) && header.Contains("Width", StringComparison.OrdinalIgnoreCase);
        var images = SubmissionCsv.GroupByImage(sized ? SubmissionCsv.ReadSolution(csv) : SubmissionCsv.Read(csv));
        var files = Directory.EnumerateFiles(imagesDir, "*", SearchOption.AllDirectories).Where(ImageIO.IsImageFile)
            .GroupBy(Path.GetFileNameWithoutExtension).ToDictionary(g => g.Key!, g => g.Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        return images.OrderBy(i => i.Id, StringComparer.Ordinal).Select(rle =>
        {
            var found = files.GetValueOrDefault(rle.Id) ?? new List<string>();
            return new ConvertibleSample(rle.Id, found.FirstOrDefault() ?? rle.Id, () =>
            {
                if (found.Count != 1) throw new NucleiInputException(imagesDir, found.Count == 0
                    ? $"no image named {rle.Id} (for the rows of {csv})" : $"{found.Count} images named {rle.Id}: {string.Join(", ", found)}");
                if (rle.Size is not null) return SameSize(rle.ToLabels(allowOverlap: true), csv, found[0]);
                var image = ImageIO.ReadImage(found[0]);
                return rle.ToLabels(image.Height, image.Width, allowOverlap: true);
            });
        }).ToList();
    }

    static LabelImage SameSize(LabelImage labels, string labelSource, string image)
    {
        var img = ImageIO.ReadImage(image);
        if (img.Height != labels.Height || img.Width != labels.Width)
            throw new NucleiInputException(labelSource, $"labels are {labels.Height}x{labels.Width} but the image {image} is {img.Height}x{img.Width}");
        return labels;
    }
}
