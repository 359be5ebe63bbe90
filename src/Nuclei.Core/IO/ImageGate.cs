using Nuclei.Core.Settings;

namespace Nuclei.Core.IO;

/// <summary>
/// The one gate every image reader passes before it decodes: the file's headers (every page of a TIFF) are read,
/// without its pixel data, into a <see cref="DeclaredImage"/>, and checked against <see cref="ImageLimits"/> with
/// 64-bit arithmetic, so that a header claiming 100000² pixels, a page 2 far larger than page 1 or a billion planes
/// is refused before anything is allocated for it. A file whose data ends before its headers say is refused too
/// (decoders fill the missing part and call it a success), unless <see cref="ImageLimits.AcceptTruncated"/>.
/// Formats read: PNG, JPEG, TIFF/BigTIFF and BMP, told apart by their first bytes.
/// </summary>
internal static class ImageGate
{
    /// <summary>The headers of <paramref name="path"/>, every page checked against <paramref name="limits"/> (default <see cref="ImageLimits.Current"/>).</summary>
    /// <exception cref="ImageLimitException">a page or the page count over the limits</exception>
    /// <exception cref="NucleiInputException">not a format read, malformed, or truncated (unless accepted); not a regular file</exception>
    public static DeclaredImage Open(string path, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Current;
        // Only a regular file is opened, whichever reader calls (not every caller looks at the path first): opening a
        // FIFO waits for a writer for ever and a device such as /dev/zero never ends. A path that is not there at all
        // keeps the message of the open below.
        if (File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null) RegularFile.Require(path, "image");
        ByteSource source;
        try { source = ByteSource.Of(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NucleiInputException(path, File.Exists(path) ? $"cannot open the image: {e.Message}" : "image file not found", e);
        }
        using (source) return Admit(Inspect(source, path, limits), limits);
    }

    /// <summary><see cref="Open(string, ImageLimits?)"/> for an encoded image in memory (an upload); <paramref name="name"/> names it in messages.</summary>
    public static DeclaredImage Open(byte[] data, string name, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Current;
        using var source = ByteSource.Of(data);
        return Admit(Inspect(source, name, limits), limits);
    }

    /// <summary>
    /// Refuses decoding <paramref name="pages"/> of <paramref name="image"/> whole, in memory, together: each over
    /// <see cref="ImageLimits.WholePixels"/>, or all their samples over <see cref="ImageLimits.MaxDecodedBytes"/>.
    /// </summary>
    /// <exception cref="ImageLimitException">the message names the page, its size and the limit</exception>
    public static void AdmitWhole(DeclaredImage image, IEnumerable<DeclaredPage> pages, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Current;
        long bytes = 0;
        foreach (var page in pages)
        {
            if (page.Pixels > limits.WholePixels)
                throw new ImageLimitException(image.Name, $"{Which(image, page)} is {page.Size} = {ImageLimits.Megapixels(page.Pixels)}, over the limit of " +
                    $"{ImageLimits.Megapixels(limits.WholePixels)} for an image decoded whole" +
                    (limits.WholePixels < limits.MaxPixels ? " (nuclei segment reads larger single-plane images block by block)" : ""));
            bytes = page.FloatBytes > long.MaxValue - bytes ? long.MaxValue : bytes + page.FloatBytes;
        }
        if (bytes > limits.MaxDecodedBytes)
            throw new ImageLimitException(image.Name, $"decoding it takes {Gigabytes(bytes)} of samples, over the limit of {Gigabytes(limits.MaxDecodedBytes)}");
    }

    static DeclaredImage Inspect(ByteSource source, string name, ImageLimits limits)
    {
        Span<byte> magic = stackalloc byte[8];
        if (source.Length == 0) throw new NucleiInputException(name, "file is empty");
        int n = (int)Math.Min(magic.Length, source.Length);
        if (!source.TryRead(0, magic[..n])) throw new NucleiInputException(name, "cannot read the image's first bytes");
        var head = magic[..n];
        if (head.StartsWith(PngHeader.Signature)) return PngHeader.Read(source, name);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return JpegHeader.Read(source, name);
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8) || head.StartsWith("II+\0"u8) || head.StartsWith("MM\0+"u8))
            return TiffDirectories.Read(source, name, limits.MaxPlanes);
        if (head.StartsWith("BM"u8)) return BmpHeader.Read(source, name);
        throw new NucleiInputException(name, "cannot decode image: not a PNG, TIFF, JPEG or BMP (its first bytes match none of them)");
    }

    /// <summary>Every page within <see cref="ImageLimits.MaxPixels"/>, and the data complete unless accepted.</summary>
    static DeclaredImage Admit(DeclaredImage image, ImageLimits limits)
    {
        foreach (var page in image.Pages)
            if (page.Pixels > limits.MaxPixels)
                throw new ImageLimitException(image.Name, $"{Which(image, page)} is {page.Size} = {ImageLimits.Megapixels(page.Pixels)}, over the limit of {ImageLimits.Megapixels(limits.MaxPixels)} ({Setting.MaxMegapixels})");
        if (image.Truncation is { } missing && !limits.AcceptTruncated)
            throw new NucleiInputException(image.Name, $"cannot decode image, it is incomplete: {missing} (nuclei segment --accept-truncated reads what is there)");
        return image;
    }

    static string Which(DeclaredImage image, DeclaredPage page) => image.Pages.Count > 1 ? $"page {page.Index + 1} of {image.Pages.Count}" : "the image";

    static string Gigabytes(long bytes) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GiB");
}
