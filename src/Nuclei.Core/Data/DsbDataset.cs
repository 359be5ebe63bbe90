using Nuclei.Core.Imaging;
using Nuclei.Core.IO;

namespace Nuclei.Core.Data;

/// <summary>
/// An annotated dataset folder. Two layouts are recognised:
/// <list type="bullet">
/// <item>The DSB2018 competition layout: <c>ROOT/&lt;id&gt;/images/&lt;id&gt;.png</c> plus <c>ROOT/&lt;id&gt;/masks/*.png</c>,
/// one binary mask (0 and one other value, e.g. 0/255) per nucleus. A sample without a masks folder has no annotation.</item>
/// <item>A flat labelled folder: <c>ROOT/&lt;id&gt;.png</c> (or .tif/.tiff/.jpg/.bmp) beside its instance label map
/// <c>ROOT/&lt;id&gt;.labels.png</c> (or <c>.labels.tif</c>/<c>.labels.tiff</c>): 0 background, one integer per nucleus,
/// as written by <see cref="ImageIO.WriteLabels"/>. Images without a label map have no annotation.</item>
/// </list>
/// Samples are sorted by id (ordinal), so every run sees the same order.
/// </summary>
internal sealed class DsbDataset
{
    /// <summary>The suffix (before the extension) that marks a label map in a flat labelled folder.</summary>
    public const string LabelsSuffix = ".labels";

    public string Root { get; }
    public IReadOnlyList<AnnotatedSample> Samples { get; }

    DsbDataset(string root, IReadOnlyList<AnnotatedSample> samples)
    {
        Root = root;
        Samples = samples;
    }

    /// <summary>True when <paramref name="folder"/> has at least one <c>&lt;id&gt;/images/</c> subfolder.</summary>
    public static bool IsDsbLayout(string folder) =>
        Directory.Exists(folder) && Directory.EnumerateDirectories(folder).Any(d => Directory.Exists(Path.Combine(d, "images")));

    /// <summary>Scans a dataset folder (either layout, see the class comment). Nothing is decoded yet.</summary>
    public static DsbDataset Scan(string root)
    {
        if (!Directory.Exists(root))
            throw new NucleiInputException(root, File.Exists(root) ? "is a file, expected a dataset folder" : "dataset folder not found");

        var samples = IsDsbLayout(root) ? ScanDsb(root) : ScanLabelled(root);
        if (samples.Count == 0)
            throw new NucleiInputException(root, "no images found (expected <id>/images/<id>.png and <id>/masks/*.png, or <id>.png with <id>.labels.png)");
        return new DsbDataset(root, samples);
    }

    static List<AnnotatedSample> ScanDsb(string root)
    {
        var samples = new List<AnnotatedSample>();
        foreach (string dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            string imagesDir = Path.Combine(dir, "images");
            if (!Directory.Exists(imagesDir) && !IsBrokenEntry(imagesDir)) continue; // not a sample folder (e.g. a stray folder); ignore
            samples.Add(TryScanDsbSample(dir));
        }
        return samples;
    }

    /// <summary>
    /// As <see cref="ScanDsbSample"/>, but a sample folder that cannot be read becomes a sample carrying its
    /// <see cref="AnnotatedSample.Problem"/>: one bad folder fails that sample, not the scan of the dataset.
    /// </summary>
    public static AnnotatedSample TryScanDsbSample(string sampleDir)
    {
        try { return ScanDsbSample(sampleDir); }
        catch (Exception e) when (e is NucleiInputException or IOException or UnauthorizedAccessException)
        {
            string id = Path.GetFileName(Path.TrimEndingDirectorySeparator(sampleDir));
            string path = (e as NucleiInputException)?.InputPath ?? Path.Combine(sampleDir, "images");
            string message = (e as NucleiInputException)?.Problem ?? e.Message;
            return new AnnotatedSample(id, path, Array.Empty<string>(), Problem: message);
        }
    }

    /// <summary>An <c>images</c> entry that exists but is no readable folder: a file, a dangling or looping link.</summary>
    static bool IsBrokenEntry(string path)
    {
        var info = new FileInfo(path);
        return info.Exists || info.LinkTarget is not null;
    }

    /// <summary>Reads one <c>&lt;id&gt;/</c> folder of the DSB layout (images/ and optional masks/).</summary>
    public static AnnotatedSample ScanDsbSample(string sampleDir)
    {
        string id = Path.GetFileName(Path.TrimEndingDirectorySeparator(sampleDir));
        string imagesDir = Path.Combine(sampleDir, "images");
        if (!Directory.Exists(imagesDir))
            throw new NucleiInputException(imagesDir, new FileInfo(imagesDir).LinkTarget is { } target
                ? $"is a link to {target} that does not lead to a folder (dangling or looping)"
                : "is not a folder");
        var images = Directory.EnumerateFiles(imagesDir).Where(ImageIO.IsImageFile).Order(StringComparer.Ordinal).ToList();
        string? image = images.FirstOrDefault(p => Path.GetFileNameWithoutExtension(p) == id)
                        ?? (images.Count == 1 ? images[0] : null);
        if (image is null)
            throw new NucleiInputException(imagesDir, images.Count == 0
                ? "no image file in this images folder"
                : $"{images.Count} images and none named {id}.png; expected exactly one image per sample");

        string masksDir = Path.Combine(sampleDir, "masks");
        var masks = Directory.Exists(masksDir)
            ? Directory.EnumerateFiles(masksDir).Where(ImageIO.IsImageFile).Order(StringComparer.Ordinal).ToList()
            : new List<string>();
        if (FilesProblem(image, masks) is { } problem) throw new NucleiInputException(image, problem);
        return new AnnotatedSample(id, image, masks);
    }

    static List<AnnotatedSample> ScanLabelled(string root)
    {
        var files = Directory.EnumerateFiles(root).Where(ImageIO.IsImageFile).ToList();
        var labelMaps = files.Where(IsLabelsFile).ToDictionary(
            p => Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(p)), StringComparer.Ordinal);
        var samples = new List<AnnotatedSample>();
        foreach (string image in files.Where(p => !IsLabelsFile(p) && !InputCollector.IsOverlayFile(p)).Order(StringComparer.Ordinal))
        {
            string id = Path.GetFileNameWithoutExtension(image);
            string? labels = labelMaps.GetValueOrDefault(id);
            samples.Add(new AnnotatedSample(id, image, Array.Empty<string>(), labels, FilesProblem(image, labels is null ? [] : [labels])));
        }
        return samples;
    }

    /// <summary>
    /// Why a sample's image or one of its annotation files cannot be read as a file (a FIFO, a device, a dangling link, no
    /// permission: decoding one would hang or fail obscurely), or null. Only their type is looked at; nothing is opened.
    /// </summary>
    static string? FilesProblem(string image, IEnumerable<string> annotations) =>
        RegularFile.ProblemOf(image, "image")
        ?? annotations.Select(f => RegularFile.ProblemOf(f, $"annotation {f}")).FirstOrDefault(p => p is not null);

    /// <summary>True for <c>NAME.labels.png</c> / <c>.labels.tif</c> / <c>.labels.tiff</c>.</summary>
    public static bool IsLabelsFile(string path) =>
        Path.GetFileNameWithoutExtension(path).EndsWith(LabelsSuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Decodes a sample: image plus label map (an all-background map when it has no annotation).</summary>
    public static LoadedSample Load(AnnotatedSample sample) => Load(sample, warn: null);

    /// <summary>As <see cref="Load(AnnotatedSample)"/>, telling <paramref name="warn"/> about NaN pixels replaced in the image.</summary>
    public static LoadedSample Load(AnnotatedSample sample, Action<string>? warn)
    {
        sample.ThrowIfUnreadable();
        FloatImage image = ImageIO.ReadImage(sample.ImagePath, warn);
        if (sample.LabelsPath is not null)
        {
            LabelImage labels = ImageIO.ReadLabels(sample.LabelsPath);
            if (labels.Height != image.Height || labels.Width != image.Width)
                throw new NucleiInputException(sample.LabelsPath,
                    $"label map is {labels.Height}x{labels.Width} but its image {sample.ImagePath} is {image.Height}x{image.Width}");
            return new LoadedSample(sample.Id, image, labels);
        }
        var (map, overlaps, empty) = MasksToLabels(sample.MaskPaths, image.Height, image.Width, sample.ImagePath);
        return new LoadedSample(sample.Id, image, map, overlaps, empty);
    }

    /// <summary>Loads only the label map of a sample (no image decode beyond what is needed for its size).</summary>
    public static LabelImage LoadLabels(AnnotatedSample sample)
    {
        sample.ThrowIfUnreadable();
        if (sample.LabelsPath is not null) return ImageIO.ReadLabels(sample.LabelsPath);
        if (sample.MaskPaths.Count == 0)
        {
            var img = ImageIO.ReadImage(sample.ImagePath);
            return new LabelImage(img.Height, img.Width);
        }
        // The first mask fixes the size; every mask must match it, and the image is checked by Load().
        var first = ImageIO.ReadLabels(sample.MaskPaths[0]);
        return MasksToLabels(sample.MaskPaths, first.Height, first.Width, sample.MaskPaths[0]).Labels;
    }

    /// <summary>
    /// Builds an instance label map from binary mask files: the k-th non-empty mask gets label k; where masks
    /// overlap, the later mask wins and the pixel is counted in the returned overlap count.
    /// </summary>
    public static (LabelImage Labels, int OverlapPixels, int EmptyMasks) MasksToLabels(
        IReadOnlyList<string> maskPaths, int height, int width, string sizeSource)
    {
        var labels = new LabelImage(height, width);
        int[] dst = labels.Data;
        int next = 0, overlaps = 0, empty = 0;
        foreach (string path in maskPaths)
        {
            // Foreground pixels as row-major indices, with the value they hold (checked for being binary).
            int[] foreground = ReadMaskForeground(path, height, width, sizeSource);
            if (foreground.Length == 0) { empty++; continue; }
            int label = ++next;
            foreach (int i in foreground)
            {
                if (dst[i] != 0) overlaps++;
                dst[i] = label;
            }
        }
        return (labels, overlaps, empty);
    }

    /// <summary>Row-major indices of a mask's foreground, checked for size and for being binary.</summary>
    static int[] ReadMaskForeground(string path, int height, int width, string sizeSource)
    {
        var mask = Checking.MaskPixels.Read(path);
        if (mask.Height != height || mask.Width != width)
            throw new NucleiInputException(path, $"mask is {mask.Height}x{mask.Width} but {sizeSource} is {height}x{width}");
        if (!mask.IsBinary) throw NotBinary(path, mask.Values[0], mask.Values[1]);
        return mask.Indices;
    }

    static NucleiInputException NotBinary(string path, int a, int b) =>
        new(path, $"mask is not binary: holds the values 0, {Math.Min(a, b)} and {Math.Max(a, b)} (expected 0 and one other value, e.g. 0/255)");
}
