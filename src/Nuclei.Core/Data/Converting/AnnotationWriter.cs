using System.Globalization;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Rle;
using OpenCvSharp;

namespace Nuclei.Core.Data.Converting;

/// <summary>
/// Writes samples in one <see cref="AnnotationFormat"/>. Folder formats are built in a staging folder published by
/// <see cref="Finish"/> (the output must not exist); the run-length format is a CSV (<c>ImageId,EncodedPixels,Height,Width</c>,
/// rows sorted by image id) written atomically by <see cref="Finish"/>. <see cref="Add"/> is thread-safe.
/// </summary>
internal sealed class AnnotationWriter : IDisposable
{
    readonly AnnotationFormat format;
    readonly string output;
    readonly string? staging;
    static readonly string[] SolutionHeader = [.. SubmissionCsv.Header.Split(','), "Height", "Width"];

    readonly SortedDictionary<string, List<string[]>> rleRows = new(StringComparer.Ordinal);

    public AnnotationWriter(AnnotationFormat format, string output)
    {
        this.format = format;
        this.output = output;
        if (format == AnnotationFormat.Rle)
        {
            if (Directory.Exists(output)) throw new NucleiInputException(output, "is a folder; the run-length format is written to a CSV file");
            if (File.Exists(output)) throw new NucleiInputException(output, "already exists; this command never overwrites");
        }
        else staging = StagingFolder.Create(output);
    }

    public void Add(string id, string imagePath, LabelImage labels)
    {
        string imageName = id + Path.GetExtension(imagePath);
        void CopyImage(string to) => File.Copy(imagePath, to);
        switch (format)
        {
            case AnnotationFormat.Dsb: SampleWriter.Write(staging!, id, imageName, CopyImage, labels, dsbLayout: true); break;
            case AnnotationFormat.Labels: SampleWriter.Write(staging!, id, imageName, CopyImage, labels, dsbLayout: false); break;
            case AnnotationFormat.Cellpose:
                CopyImage(Path.Combine(staging!, imageName));
                ImageIO.WriteLabels(Path.Combine(staging!, id + "_masks.png"), labels);
                break;
            case AnnotationFormat.StarDist:
                WriteTiff(imagePath, Path.Combine(Directory.CreateDirectory(Path.Combine(staging!, "images")).FullName, id + ".tif"));
                ImageIO.WriteLabels(Path.Combine(Directory.CreateDirectory(Path.Combine(staging!, "masks")).FullName, id + ".tif"), labels);
                break;
            case AnnotationFormat.Rle:
                string height = labels.Height.ToString(CultureInfo.InvariantCulture), width = labels.Width.ToString(CultureInfo.InvariantCulture);
                var rows = SubmissionCsv.EncodedPixels(labels).Select(rle => new[] { id, rle, height, width }).ToList();
                lock (rleRows) rleRows[id] = rows;
                break;
            default: throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }
    }

    public void Finish()
    {
        if (staging is not null) StagingFolder.Publish(staging, output);
        else CsvTable.Write(output, SolutionHeader, rleRows.Values.SelectMany(r => r));
    }

    public void Dispose()
    {
        if (staging is not null) StagingFolder.Discard(staging);
    }

    /// <summary>The image as stored (bit depth, colour) re-encoded as TIFF, without its alpha channel (ignored when reading anyway).</summary>
    static void WriteTiff(string source, string path)
    {
        using Mat stored = ImageIO.Decode(source);
        using Mat image = new();
        if (stored.Channels() == 4) Cv2.CvtColor(stored, image, ColorConversionCodes.BGRA2BGR);
        else if (stored.Channels() == 2) Cv2.ExtractChannel(stored, image, 0);
        else stored.CopyTo(image);
        if (!Cv2.ImWrite(path, image)) throw new IOException($"{path}: OpenCV could not write the TIFF");
    }
}
