using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data;

/// <summary>
/// Writes one annotated sample in either layout <see cref="DsbDataset"/> reads: DSB (<c>&lt;id&gt;/images/&lt;file&gt;</c> and
/// one 0/255 mask per nucleus in <c>&lt;id&gt;/masks</c>) or flat (<c>&lt;file&gt;</c> beside <c>&lt;id&gt;.labels.png</c>).
/// </summary>
internal static class SampleWriter
{
    /// <param name="imageFileName">the image's file name (id plus extension)</param>
    /// <param name="writeImage">writes the image to the path it is given</param>
    public static void Write(string root, string id, string imageFileName, Action<string> writeImage, LabelImage labels, bool dsbLayout)
    {
        if (!dsbLayout)
        {
            writeImage(Path.Combine(root, imageFileName));
            ImageIO.WriteLabels(Path.Combine(root, id + DsbDataset.LabelsSuffix + ".png"), labels);
            return;
        }
        string images = Directory.CreateDirectory(Path.Combine(root, id, "images")).FullName;
        writeImage(Path.Combine(images, imageFileName));
        string masks = Directory.CreateDirectory(Path.Combine(root, id, "masks")).FullName;
        foreach (var (label, mask) in DsbMasks.Split(labels))
            ImageIO.WriteImage8(Path.Combine(masks, $"{id}-{label:D4}.png"), mask);
    }
}
