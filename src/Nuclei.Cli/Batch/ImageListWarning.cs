using System.Collections.Concurrent;

namespace Nuclei.Cli.Batch;

/// <summary>
/// Images that share one warning, each with its own detail: after the batch, one line says how many, names the first
/// <see cref="Examples"/> in name order with their details, and what to try, so a large batch gets one line and not
/// thousands. Safe to add to from parallel work.
/// </summary>
/// <param name="what">what the images have in common, after "N image(s) ", e.g. "have no nuclei"</param>
/// <param name="advice">what to try, after the examples</param>
internal sealed class ImageListWarning(string what, string advice)
{
    public const int Examples = 5;
    readonly ConcurrentQueue<(string Image, string Detail)> images = new();

    public void Add(string image, string detail) => images.Enqueue((image, detail));

    public int Count => images.Count;

    /// <summary>The warning, or null when no image was added.</summary>
    public string? Message()
    {
        if (images.IsEmpty) return null;
        var examples = images.OrderBy(i => i.Image, StringComparer.Ordinal).Take(Examples).Select(i => $"{i.Image}: {i.Detail}");
        return $"{images.Count} image(s) {what} ({string.Join("; ", examples)}{(images.Count > Examples ? "; ..." : "")}): {advice}";
    }
}
