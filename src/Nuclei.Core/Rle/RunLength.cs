using System.Text;
using Nuclei.Core.Imaging;

namespace Nuclei.Core.Rle;

/// <summary>
/// Kaggle run-length encoding (Data Science Bowl 2018, "Evaluation"): pixels are numbered from 1, top to bottom,
/// then left to right (column-major), and an object is written as "start length start length ...", runs sorted
/// and not overlapping. Example: "1 3 10 5" is pixels 1,2,3 and 10..14.
/// </summary>
internal static class RunLength
{
    /// <summary>Largest image side accepted in a solution CSV.</summary>
    public const int MaxSide = 1 << 16;

    /// <summary>Largest pixel count decoded (2^28: a 1 GiB label map); keeps every pixel index within an int.</summary>
    public const long MaxPixels = 1L << 28;

    /// <summary>Encodes every label of the map in one column-major pass. Returns label → RLE, labels ascending.</summary>
    public static SortedDictionary<int, string> EncodeAll(LabelImage labels)
    {
        int h = labels.Height, w = labels.Width;
        int[] d = labels.Data;
        var builders = new Dictionary<int, StringBuilder>();
        int current = 0, start = 0;
        void Close(int endExclusive)
        {
            if (current == 0) return;
            if (!builders.TryGetValue(current, out var sb)) builders[current] = sb = new StringBuilder();
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(start + 1).Append(' ').Append(endExclusive - start);
        }
        int k = 0;
        for (int x = 0; x < w; x++)
        for (int y = 0; y < h; y++, k++)
        {
            int l = d[y * w + x];
            if (l == current) continue;
            Close(k);
            current = l;
            start = k;
        }
        Close(k);
        var result = new SortedDictionary<int, string>();
        foreach (var (label, sb) in builders) result[label] = sb.ToString();
        return result;
    }

    /// <summary>Encodes one label (empty string when it is absent).</summary>
    public static string Encode(LabelImage labels, int label)
    {
        var all = EncodeAll(labels);
        return all.TryGetValue(label, out string? s) ? s : "";
    }

    /// <summary>
    /// Parses and validates one RLE string for an image of <paramref name="pixelCount"/> pixels. Errors name
    /// <paramref name="source"/> (e.g. "file.csv:12"): non-integer or non-positive numbers, an odd count, a run past
    /// the last pixel, runs that overlap or are out of order. Returns (0-based column-major start, length) pairs.
    /// </summary>
    public static List<(int Start, int Length)> Parse(string encoded, long pixelCount, string source)
    {
        if (pixelCount <= 0 || pixelCount > MaxPixels)
            throw new NucleiInputException(source, $"image of {pixelCount} pixels is outside 1..{MaxPixels}");
        var runs = new List<(int, int)>();
        var tokens = encoded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length % 2 != 0)
            throw new NucleiInputException(source, $"run-length encoding has an odd count of numbers ({tokens.Length}); expected start/length pairs");
        long previousEnd = 0; // 1-based number of the last pixel covered so far
        for (int i = 0; i < tokens.Length; i += 2)
        {
            long start = ParsePositive(tokens[i], "start", source);
            long length = ParsePositive(tokens[i + 1], "length", source);
            // Compared without adding, so huge values cannot overflow into a small (wrong) run.
            if (start > pixelCount || length > pixelCount - start + 1)
                throw new NucleiInputException(source, $"run {start} {length} goes past the end of the image ({pixelCount} pixels)");
            long last = start + length - 1;
            if (start <= previousEnd)
                throw new NucleiInputException(source, $"run {start} {length} overlaps or precedes the previous run (which ends at pixel {previousEnd}); runs must be sorted and disjoint");
            previousEnd = last;
            runs.Add(((int)(start - 1), (int)length));
        }
        return runs;
    }

    static long ParsePositive(string token, string what, string source)
    {
        if (!long.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v))
            throw new NucleiInputException(source, $"run-length {what} '{Shorten(token)}' is not a positive whole number below 2^63");
        if (v <= 0)
            throw new NucleiInputException(source, $"run-length {what} must be positive, got {v}");
        return v;
    }

    /// <summary>At most 40 characters of untrusted text, for an error message.</summary>
    public static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>
    /// Paints parsed runs with <paramref name="label"/>. Pixels already labelled are an error naming
    /// <paramref name="source"/> unless <paramref name="allowOverlap"/> (then the later object wins); returns the
    /// number of pixels that were already labelled.
    /// </summary>
    public static int Paint(LabelImage target, IReadOnlyList<(int Start, int Length)> runs, int label, string source, bool allowOverlap)
    {
        int h = target.Height, w = target.Width;
        int[] d = target.Data;
        int overlaps = 0;
        foreach (var (start, length) in runs)
        {
            for (int k = start; k < start + length; k++)
            {
                int x = k / h, y = k - x * h;
                int i = y * w + x;
                if (d[i] != 0)
                {
                    if (!allowOverlap)
                        throw new NucleiInputException(source, $"object overlaps an earlier object of the same image at pixel {k + 1} (row {y + 1}, column {x + 1}); objects must not overlap");
                    overlaps++;
                }
                d[i] = label;
            }
        }
        return overlaps;
    }
}
