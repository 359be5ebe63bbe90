using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Output;

namespace Nuclei.Core.Data;

/// <summary>
/// Turns what the user typed (files and folders) into the list of images to process. Each input may be:
/// <list type="bullet">
/// <item>an image file (.png .tif .tiff .jpg .jpeg .bmp): id = file name without extension (and without the
/// <c>.ome</c> of <c>x.ome.tif</c>);</item>
/// <item>a DSB-layout folder (<c>&lt;id&gt;/images/&lt;id&gt;.png</c>, masks ignored) or one sample folder of it (has <c>images/</c>): id = sample folder name;</item>
/// <item>a plain folder of images, sorted by name; label maps (<c>*.labels.*</c>) and overlays
/// (<c>*.overlay.*</c>) in it are skipped, so an annotated or an output folder can be fed back in. With
/// <see cref="FolderScan.Recursive"/> its sub-folders are searched too and an image's id is its path relative to the
/// folder without extension (<c>sub/dir/x</c>, <c>/</c>-separated), so outputs mirror the folder; hidden folders and
/// nuclei output folders (they hold <c>.nuclei-records</c>) are skipped, and a sub-folder holding <c>images/</c> is a
/// DSB sample (id: its relative path).</item>
/// </list>
/// <see cref="FolderScan.Patterns"/> filter the images found in folders (files named on the command line are taken as given).
/// Missing paths, non-image files, folders without images and two images with the same id are errors naming the path;
/// an image that is no readable file (a FIFO, a dangling link) or whose id cannot name outputs carries its problem (see <c>Checked</c>).
/// </summary>
internal static class InputCollector
{
    public const string OverlaySuffix = ".overlay";

    public static bool IsOverlayFile(string path) =>
        Path.GetFileNameWithoutExtension(path).EndsWith(OverlaySuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The id of an image file: its name without extension, and without the <c>.ome</c> of an OME-TIFF.</summary>
    public static string IdOf(string path)
    {
        string id = Path.GetFileNameWithoutExtension(path);
        return Path.GetExtension(path).ToLowerInvariant() is ".tif" or ".tiff" && id.EndsWith(".ome", StringComparison.OrdinalIgnoreCase) && id.Length > 4
            ? id[..^4] : id;
    }

    public static IReadOnlyList<InputImage> Collect(IEnumerable<string> inputs, FolderScan? scan = null)
    {
        scan = (scan ?? FolderScan.Default).Validated();
        var result = new List<InputImage>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string input in inputs)
        {
            foreach (var item in CollectOne(input, scan))
            {
                if (seen.TryGetValue(item.Id, out string? other))
                    throw new NucleiInputException(item.ImagePath, $"image id '{item.Id}' also comes from {other}; ids name the outputs, so they must be unique");
                seen[item.Id] = item.ImagePath;
                result.Add(item);
            }
        }
        return result;
    }

    static IEnumerable<InputImage> CollectOne(string input, FolderScan scan)
    {
        if (File.Exists(input))
        {
            if (!ImageIO.IsImageFile(input))
                throw new NucleiInputException(input, $"not an image file (expected {string.Join(" ", ImageIO.ImageExtensions.Order())})");
            return new[] { Checked(new InputImage(IdOf(input), input)) };
        }
        if (!Directory.Exists(input)) throw new NucleiInputException(input, "no such file or folder");

        IEnumerable<InputImage> found;
        if (Directory.Exists(Path.Combine(input, "images")))
        {
            var one = DsbDataset.ScanDsbSample(input);
            found = new[] { new InputImage(one.Id, one.ImagePath) };
        }
        else if (DsbDataset.IsDsbLayout(input))
            found = DsbDataset.Scan(input).Samples.Select(s => new InputImage(s.Id, s.ImagePath, Problem: s.Problem));
        else
            found = PlainFolder(input, "", scan.Recursive);

        var images = found.Where(i => scan.Matches(RelativeImagePath(input, i.ImagePath))).Select(Checked).ToList();
        if (images.Count == 0)
            throw new NucleiInputException(input, scan.Patterns is { Count: > 0 }
                ? $"folder holds no image matching {string.Join(" or ", scan.Patterns)}{(scan.Recursive ? " (searched recursively)" : " (add --recursive to search sub-folders)")}"
                : $"folder holds no images (.png .tif .tiff .jpg .jpeg .bmp) and no <id>/images/ sample folders{(scan.Recursive ? ", nor do its sub-folders" : "")}");
        return images;
    }

    /// <summary>
    /// The image with the <see cref="InputImage.Problem"/> that keeps it from being read (a FIFO, device or socket, whose
    /// reading would hang; a dangling link; no permission: only its type is looked at, nothing is opened) or from naming
    /// outputs (an id the writer refuses, see <see cref="OutputNames"/>), so that it fails on its own, before any reading.
    /// </summary>
    static InputImage Checked(InputImage image)
    {
        if (image.Problem is not null) return image;
        if (RegularFile.ProblemOf(image.ImagePath, "image") is { } unreadable) return image with { Problem = unreadable };
        return OutputNames.ProblemOf(image.Id) is { } badId
            ? image with { Problem = $"its image id '{UntrustedText.Clean(image.Id, 300)}' {badId}; rename the file (its name is the id, which names the outputs and the rows of the CSVs)" }
            : image;
    }

    /// <summary>The images of a plain folder (and with <paramref name="recursive"/> of its sub-folders), ids prefixed by <paramref name="prefix"/>.</summary>
    static IEnumerable<InputImage> PlainFolder(string folder, string prefix, bool recursive)
    {
        var images = Directory.EnumerateFiles(folder)
            .Where(p => ImageIO.IsImageFile(p) && !DsbDataset.IsLabelsFile(p) && !IsOverlayFile(p))
            .Order(StringComparer.Ordinal)
            .Select(p => new InputImage(prefix + IdOf(p), p));
        if (!recursive) return images;
        var nested = Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal)
            .Where(d => !Path.GetFileName(d).StartsWith('.') && !Directory.Exists(Path.Combine(d, ImageRecords.FolderName)))
            .SelectMany(d => Directory.Exists(Path.Combine(d, "images"))
                ? [new InputImage(prefix + Path.GetFileName(d), DsbDataset.ScanDsbSample(d).ImagePath)]
                : PlainFolder(d, prefix + Path.GetFileName(d) + "/", recursive: true));
        return images.Concat(nested);
    }

    /// <summary>An image's path relative to the input folder, <c>/</c>-separated (what patterns with a <c>/</c> match).</summary>
    static string RelativeImagePath(string folder, string image) =>
        Path.GetRelativePath(folder, image).Replace(Path.DirectorySeparatorChar, '/');
}
