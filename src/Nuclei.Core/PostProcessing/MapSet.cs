using Nuclei.Core.Imaging;

namespace Nuclei.Core.PostProcessing;

/// <summary>The maps of one image for <c>nuclei partition</c>: body (required), contour and marker (optional), matched by file name.</summary>
internal sealed record MapSet(string Id, string BodyPath, string? ContourPath, string? MarkerPath, string? ImagePath)
{
    /// <summary>
    /// Pairs body, contour and marker inputs. Each is a file or a folder; with folders, maps are matched by file name
    /// without extension (<c>a.png</c> in the body folder goes with <c>a.tif</c> in the contour folder). Problems that
    /// concern one image (a body map with no contour map when a contour folder is given, a marker map with no body
    /// map) come back as <paramref name="problems"/> (id, message) so the batch can go on with the others.
    /// A missing path throws.
    /// </summary>
    public static IReadOnlyList<MapSet> Match(string body, string? contour, string? marker, string? image,
        out IReadOnlyList<(string Id, string Message)> problems)
    {
        var issues = new List<(string, string)>();
        var bodies = List(body, "--body");
        var contours = contour == null ? null : List(contour, "--contour");
        var markers = marker == null ? null : List(marker, "--marker");
        var images = image == null ? null : List(image, "--image");
        bool single = File.Exists(body);

        var sets = new List<MapSet>();
        foreach (var (id, path) in bodies)
        {
            string? c = Pick(contours, id, single, contour, "contour", path, issues);
            string? m = Pick(markers, id, single, marker, "marker", path, issues);
            string? i = Pick(images, id, single, image, "image", path, issues);
            if ((contour != null && c == null) || (marker != null && m == null) || (image != null && i == null)) continue;
            sets.Add(new MapSet(id, path, c, m, i));
        }
        foreach (var (what, list) in new[] { ("contour", contours), ("marker", markers) })
        {
            if (list == null || single) continue;
            foreach (var (id, path) in list)
                if (!bodies.ContainsKey(id)) issues.Add((id, $"{path}: {what} map has no body map named {id}.* in {body}"));
        }
        problems = issues;
        return sets;
    }

    static string? Pick(Dictionary<string, string>? list, string id, bool single, string? given, string what, string bodyPath,
        List<(string, string)> issues)
    {
        if (list == null) return null;
        if (single && File.Exists(given)) return given;
        if (list.TryGetValue(id, out var path)) return path;
        issues.Add((id, $"{bodyPath}: no {what} map named {id}.* in {given}"));
        return null;
    }

    static Dictionary<string, string> List(string path, string option)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(path)) { found[Data.InputCollector.IdOf(path)] = path; return found; }
        if (!Directory.Exists(path)) throw new NucleiInputException(path, $"{option}: no such file or folder");
        foreach (var file in Directory.GetFiles(path).Where(f => ImageIO.IsImageFile(f) && !Data.InputCollector.IsOverlayFile(f) && !Data.DsbDataset.IsLabelsFile(f)).Order(StringComparer.Ordinal))
        {
            string id = Data.InputCollector.IdOf(file);
            if (!found.TryAdd(id, file))
                throw new NucleiInputException(file, $"{option}: two maps named {id}.* in {path} ({Path.GetFileName(found[id])} and {Path.GetFileName(file)})");
        }
        if (found.Count == 0) throw new NucleiInputException(path, $"{option}: no PNG or TIFF files in this folder");
        return found;
    }
}
