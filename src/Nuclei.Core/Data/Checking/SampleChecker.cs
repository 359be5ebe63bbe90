using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;

namespace Nuclei.Core.Data.Checking;

/// <summary>
/// Checks the annotation of one image (DSB masks or a label map) for the problems of <see cref="ProblemKind"/> and
/// builds its corrected label map (see <see cref="LabelRepair"/>).
/// </summary>
internal static class SampleChecker
{
    public static SampleCheck Check(AnnotatedSample sample, int minSize)
    {
        var problems = new List<LabelProblem>();
        void Add(ProblemKind kind, string file, string detail) => problems.Add(new LabelProblem(kind, sample.Id, file, detail));

        FloatImage image;
        try
        {
            sample.ThrowIfUnreadable();
            image = ImageIO.ReadImage(sample.ImagePath);
        }
        catch (NucleiInputException e)
        {
            Add(ProblemKind.Unreadable, sample.ImagePath, DetailOf(e, sample.ImagePath));
            return new SampleCheck(sample, problems, false, 0, null);
        }
        var alpha = AlphaChannel.Inspect(sample.ImagePath);
        if (alpha == AlphaState.Transparent) Add(ProblemKind.Alpha, sample.ImagePath, "alpha channel has transparent pixels; reading ignores alpha");
        if (!sample.HasAnnotation)
        {
            Add(ProblemKind.NoMasks, sample.ImagePath, "no masks folder, no mask files and no label map");
            return new SampleCheck(sample, problems, alpha == AlphaState.Opaque, 0, null);
        }

        var (masks, count) = sample.LabelsPath is null
            ? CheckMasks(sample.MaskPaths, image.Height, image.Width, Add)
            : CheckLabelMap(sample.LabelsPath, image.Height, image.Width, Add);
        var merged = LabelRepair.Merge(masks.Select(m => m.Indices).ToList(), image.Height, image.Width);
        foreach (var (file, indices) in masks) CheckShape(file, indices, image.Width, merged.Data, minSize, Add);
        return new SampleCheck(sample, problems, alpha == AlphaState.Opaque, count, LabelRepair.Repair(merged, minSize));
    }

    /// <summary>Reads every mask file; returns the usable ones (readable, right size, non-empty, not duplicated) and how many files there were.</summary>
    static (List<(string File, int[] Indices)> Usable, int Count) CheckMasks(IReadOnlyList<string> paths, int height, int width,
        Action<ProblemKind, string, string> add)
    {
        var usable = new List<(string File, int[] Indices)>();
        var seen = new Dictionary<int, List<int>>(); // content hash -> positions in usable
        var owner = new int[height * width]; // 1 + position in usable of the first mask claiming the pixel
        var shared = new Dictionary<(int, int), int>();
        foreach (string path in paths)
        {
            MaskPixels mask;
            try { mask = MaskPixels.Read(path); }
            catch (NucleiInputException e) { add(ProblemKind.Unreadable, path, DetailOf(e, path)); continue; }
            if (mask.Height != height || mask.Width != width)
            {
                add(ProblemKind.WrongSize, path, $"mask is {mask.Height}x{mask.Width}, its image is {height}x{width}");
                continue;
            }
            if (!mask.IsBinary) add(ProblemKind.NonBinary, path, $"holds the values {string.Join(", ", mask.Values.Prepend(0))} (expected 0 and one other value); every non-zero pixel is taken as nucleus");
            if (mask.IsEmpty) { add(ProblemKind.EmptyMask, path, "no foreground pixel"); continue; }
            int hash = ContentHash(mask.Indices);
            if (seen.TryGetValue(hash, out var same) && same.FirstOrDefault(k => usable[k].Indices.AsSpan().SequenceEqual(mask.Indices), -1) is int twin and >= 0)
            {
                add(ProblemKind.Duplicate, path, $"same pixels as {Path.GetFileName(usable[twin].File)}");
                continue;
            }
            int position = usable.Count;
            usable.Add((path, mask.Indices));
            (seen.TryGetValue(hash, out var list) ? list : seen[hash] = new List<int>()).Add(position);
            foreach (int i in mask.Indices)
            {
                if (owner[i] == 0) owner[i] = position + 1;
                else shared[(owner[i] - 1, position)] = shared.GetValueOrDefault((owner[i] - 1, position)) + 1;
            }
        }
        foreach (var ((a, b), pixels) in shared)
            add(ProblemKind.Overlap, usable[b].File, $"shares {pixels} px with {Path.GetFileName(usable[a].File)}");
        return (usable, paths.Count);
    }

    static (List<(string File, int[] Indices)> Usable, int Count) CheckLabelMap(string path, int height, int width,
        Action<ProblemKind, string, string> add)
    {
        LabelImage labels;
        try { labels = ImageIO.ReadLabels(path); }
        catch (NucleiInputException e) { add(ProblemKind.Unreadable, path, DetailOf(e, path)); return (new(), 0); }
        if (labels.Height != height || labels.Width != width)
        {
            add(ProblemKind.WrongSize, path, $"label map is {labels.Height}x{labels.Width}, its image is {height}x{width}");
            return (new(), 0);
        }
        var objects = LabelRegions.Of(labels).Select(r => (File: $"{path}#{r.Label}", Indices: r.Pixels)).ToList();
        if (objects.Count == 0) add(ProblemKind.EmptyMask, path, "label map holds no nucleus");
        return (objects, objects.Count);
    }

    static void CheckShape(string file, int[] indices, int width, int[] claimed, int minSize, Action<ProblemKind, string, string> add)
    {
        var shape = ObjectShape.Of(indices, width, claimed);
        if (shape.Pieces > 1) add(ProblemKind.Pieces, file, $"{shape.Pieces} disconnected pieces of {string.Join(", ", shape.PieceAreas.OrderDescending())} px");
        if (shape.HolePixels > 0) add(ProblemKind.Holes, file, $"{shape.HolePixels} px of holes");
        if (shape.Area < minSize) add(ProblemKind.Small, file, $"{shape.Area} px, under the minimum of {minSize}");
    }

    /// <summary>What is wrong with <paramref name="file"/>: the problem alone when the error names that file (the report prints the file beside it).</summary>
    static string DetailOf(NucleiInputException e, string file) => e.InputPath == file ? e.Problem : e.Message;

    static int ContentHash(int[] indices)
    {
        var h = new HashCode();
        h.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(indices.AsSpan()));
        return h.ToHashCode();
    }
}
