using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data;

/// <summary>
/// Turns what the user typed (files and folders) into the list of images to process. Each input may be:
/// <list type="bullet">
/// <item>an image file (.png .tif .tiff .jpg .jpeg .bmp): id = file name without extension;</item>
/// <item>a DSB-layout folder (<c>&lt;id&gt;/images/&lt;id&gt;.png</c>, masks ignored) or one sample folder of it (has <c>images/</c>): id = sample folder name;</item>
/// <item>a plain folder of images (not recursive), sorted by name; label maps (<c>*.labels.*</c>) and overlays
/// (<c>*.overlay.*</c>) in it are skipped, so an annotated or an output folder can be fed back in.</item>
/// </list>
/// Missing paths, non-image files, folders without images and two images with the same id are errors naming the path.
/// </summary>
public static class InputCollector
{
    public const string OverlaySuffix = ".overlay";

    public static bool IsOverlayFile(string path) =>
        Path.GetFileNameWithoutExtension(path).EndsWith(OverlaySuffix, StringComparison.OrdinalIgnoreCase);

    public static IReadOnlyList<InputImage> Collect(IEnumerable<string> inputs)
    {
        var result = new List<InputImage>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string input in inputs)
        {
            foreach (var item in CollectOne(input))
            {
                if (seen.TryGetValue(item.Id, out string? other))
                    throw new NucleiInputException(item.ImagePath, $"image id '{item.Id}' also comes from {other}; ids name the outputs, so they must be unique");
                seen[item.Id] = item.ImagePath;
                result.Add(item);
            }
        }
        return result;
    }

    static IEnumerable<InputImage> CollectOne(string input)
    {
        if (File.Exists(input))
        {
            if (!ImageIO.IsImageFile(input))
                throw new NucleiInputException(input, $"not an image file (expected {string.Join(" ", ImageIO.ImageExtensions.Order())})");
            return new[] { new InputImage(Path.GetFileNameWithoutExtension(input), input) };
        }
        if (!Directory.Exists(input)) throw new NucleiInputException(input, "no such file or folder");

        if (Directory.Exists(Path.Combine(input, "images")))
        {
            var one = DsbDataset.ScanDsbSample(input);
            return new[] { new InputImage(one.Id, one.ImagePath) };
        }
        if (DsbDataset.IsDsbLayout(input))
            return DsbDataset.Scan(input).Samples.Select(s => new InputImage(s.Id, s.ImagePath, s.Problem)).ToList();

        var images = Directory.EnumerateFiles(input)
            .Where(p => ImageIO.IsImageFile(p) && !DsbDataset.IsLabelsFile(p) && !IsOverlayFile(p))
            .Order(StringComparer.Ordinal)
            .Select(p => new InputImage(Path.GetFileNameWithoutExtension(p), p))
            .ToList();
        if (images.Count == 0)
            throw new NucleiInputException(input, "folder holds no images (.png .tif .tiff .jpg .jpeg .bmp) and no <id>/images/ sample folders");
        return images;
    }
}
