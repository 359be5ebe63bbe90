using System.Globalization;
using BitMiracle.LibTiff.Classic;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;

namespace Nuclei.Core.Export;

/// <summary>
/// A 3D label stack (one label map per z plane, see <see cref="Stacks.PlaneStitching"/>) as one multi-page TIFF that
/// Fiji opens as a z-stack: the pages as <see cref="LabelTiff"/> writes one (16-bit, or 32-bit above 65,535 nuclei; one
/// width for every page, as ImageJ needs) and, on the first, the ImageJ description with <c>images=N</c> and
/// <c>slices=N</c> (ImageJ's TiffEncoder/FileInfo: without them ImageJ shows only the first page).
/// A classic TIFF (ImageJ's own opener reads no BigTIFF) unless the samples alone could pass its 4 GiB of offsets.
/// Written page by page to a temporary file, then renamed (<see cref="AtomicFile"/>).
/// </summary>
internal static class LabelStackTiff
{
    public const string Extension = ".stack.labels.tif";

    /// <summary>
    /// A stack's file: its <c>.labels</c> keeps folder scans from taking it for an input image, and this lets the
    /// readers of 2D label maps (<c>evaluate --pred</c>) leave it out.
    /// </summary>
    public static bool IsStackFile(string path) => path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase);

    /// <param name="planes">label maps of one size, plane 0 first (page k is plane k)</param>
    /// <param name="pixelSizeUm">micrometres per pixel in x and y, or null</param>
    public static void Write(string path, IReadOnlyList<LabelImage> planes, double? pixelSizeUm)
    {
        if (planes.Count == 0) throw new ArgumentException("a label stack needs at least one plane", nameof(planes));
        int max = planes.Max(p => p.MaxLabel());
        bool wide = max > ushort.MaxValue;
        string description = string.Create(CultureInfo.InvariantCulture,
            $"ImageJ=1.53t\nimages={planes.Count}\nslices={planes.Count}\nloop=false\nmin=0\nmax={max}\n");
        AtomicFile.Write(path, temporary =>
        {
            using var tiff = Tiff.Open(temporary, Big(planes, wide) ? "w8" : "w") ?? throw new IOException($"LibTiff could not create {temporary}");
            for (int z = 0; z < planes.Count; z++)
            {
                if (z == 0) LabelTiff.WriteImageJDescription(tiff, description, pixelSizeUm);
                tiff.SetField(TiffTag.SUBFILETYPE, FileType.PAGE);
                LabelTiff.WritePage(tiff, planes[z], wide);
                if (!tiff.WriteDirectory()) throw new IOException($"LibTiff could not write page {z + 1}");
            }
        });
    }

    /// <summary>Over 3.5 GiB of uncompressed samples (LZW shrinks labels a lot, but is not counted on).</summary>
    static bool Big(IReadOnlyList<LabelImage> planes, bool wide) =>
        planes.Sum(p => (long)p.PixelCount) * (wide ? 4 : 2) > 3.5 * (1L << 30);
}
