using Nuclei.Core.Imaging;

namespace Nuclei.Core.Rle;

/// <summary>The rows of one image in a CSV, decodable into a label map once its size is known.</summary>
internal sealed record RleImage(string Id, IReadOnlyList<RleRow> Rows)
{
    /// <summary>Height/Width from the rows (solution CSVs), or null when the CSV has no size columns.</summary>
    public (int Height, int Width)? Size => Rows.Count > 0 && Rows[0].Height is int h && Rows[0].Width is int w ? (h, w) : null;

    /// <summary>
    /// Decodes the objects into a label map (row order gives labels 1..N; empty rows are skipped).
    /// Overlapping objects are an error unless <paramref name="allowOverlap"/> (then the later wins).
    /// </summary>
    public LabelImage ToLabels(int height, int width, bool allowOverlap)
    {
        var labels = new LabelImage(height, width);
        int next = 0;
        foreach (var row in Rows)
        {
            if (string.IsNullOrWhiteSpace(row.EncodedPixels)) continue;
            var runs = RunLength.Parse(row.EncodedPixels, (long)height * width, row.Source);
            RunLength.Paint(labels, runs, ++next, row.Source, allowOverlap);
        }
        return labels;
    }

    /// <summary>Decodes with the size stored in the rows (solution CSVs).</summary>
    public LabelImage ToLabels(bool allowOverlap)
    {
        var size = Size ?? throw new InvalidOperationException($"image {Id} has no Height/Width in its CSV rows");
        return ToLabels(size.Height, size.Width, allowOverlap);
    }
}
