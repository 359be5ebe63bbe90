using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;

namespace Nuclei.Server.Uploads;

/// <summary>
/// An upload decoded as <c>nuclei segment</c> reads a file: through <see cref="MultiPlaneImage"/>, which reads the
/// chosen channel and z planes of a multi-page TIFF or OME-TIFF (and a channel of an RGB picture). That reader works
/// on files, so a TIFF's bytes are written to a private temporary file for the time of the read; a PNG or JPEG, one
/// plane, is decoded from memory.
/// </summary>
internal static class UploadedImage
{
    /// <summary>The image to segment.</summary>
    /// <param name="maxPixels">the most pixels read: a z projection reads every plane at once (the header gave one plane's size only)</param>
    /// <exception cref="NucleiInputException">undecodable, or the choice does not fit the image (message names the field)</exception>
    /// <exception cref="TooLargeException">the z planes to combine hold more than <paramref name="maxPixels"/></exception>
    public static FloatImage Read(byte[] data, ImageHeader header, PlaneChoice choice, string displayName, long maxPixels) =>
        header.Format != ImageFormat.Tiff ? Guarded(displayName, () => Picture(data, choice, displayName)) : WithFile(data, header, displayName, path =>
        {
            if (choice.Z != ZProjection.None && MultiPlaneImage.Describe(path) is { } layout)
            {
                // the largest page of all, not the first's header: a later page may be far larger
                var sizes = ImageGate.Open(path).Planes;
                var largest = sizes.MaxBy(p => p.Pixels)!;
                string upTo = sizes.All(p => p.Pixels == largest.Pixels) ? "" : "up to ";
                long planes = layout.Source == PlaneLayoutSource.Pages ? layout.Pages.Count : layout.SizeZ;
                if (planes * largest.Pixels > maxPixels)
                    throw new TooLargeException(displayName,
                        $"z {choice.Z.ToString().ToLowerInvariant()} reads {planes} planes of {upTo}{largest.Size} = {planes * largest.Pixels} pixels, over the limit of {maxPixels}");
            }
            return MultiPlaneImage.Read(new InputImage(displayName, path), choice);
        });

    /// <summary>The planes of a multi-page TIFF, or null for a single-plane image: from the headers and metadata, no pixel decoded.</summary>
    public static MultiPlaneImageLayout? Describe(byte[] data, ImageHeader header, string displayName) =>
        header.Format != ImageFormat.Tiff ? null : WithFile(data, header, displayName, MultiPlaneImage.Describe);

    /// <summary>
    /// The channels a single-plane image is read with, from its header's samples per pixel as <see cref="ImageIO.ReadImage(byte[], string, Action{string}?)"/>
    /// keeps them: alpha dropped (gray + alpha is gray, RGBA is RGB), a palette read as RGB.
    /// </summary>
    public static int PictureChannels(DeclaredImage declared) => declared.First.Samples <= 2 ? 1 : 3;

    /// <summary>
    /// Runs a decoder on an upload, turning any failure but an input error into one naming the upload (400): whatever
    /// OpenCV or LibTiff throws on a malformed file is the file's problem, not the server's.
    /// </summary>
    /// <param name="tempPath">the upload's temporary file, replaced by its name in the decoder's message</param>
    public static T Guarded<T>(string displayName, Func<T> read, string? tempPath = null)
    {
        try { return read(); }
        catch (Exception e) when (e is not (NucleiInputException or OperationCanceledException or OutOfMemoryException))
        {
            string said = tempPath is null ? e.Message : e.Message.Replace(tempPath, displayName);
            throw new NucleiInputException(displayName, $"cannot decode image: the decoder failed ({UntrustedText.Clean(said, 160)})", e);
        }
    }

    /// <summary>A PNG or JPEG (what <see cref="MultiPlaneImage.Read"/> does with a file that is not a TIFF), from memory.</summary>
    static FloatImage Picture(byte[] data, PlaneChoice choice, string displayName)
    {
        try { return MultiPlaneImage.ColourChannel(ImageIO.ReadImage(data, displayName), choice, displayName); }
        catch (NucleiInputException e) { throw UploadFields.Renamed(e, displayName); }
    }

    static T WithFile<T>(byte[] data, ImageHeader header, string displayName, Func<string, T> read)
    {
        string dir = Directory.CreateTempSubdirectory("nuclei-upload-").FullName; // owner-only on Unix
        string path = Path.Combine(dir, "upload" + Extension(header.Format));
        try
        {
            File.WriteAllBytes(path, data);
            return Guarded(displayName, () => read(path), path);
        }
        catch (NucleiInputException e) when (e is not TooLargeException) { throw UploadFields.Renamed(e, displayName); } // keeps an ImageLimitException's 413
        finally { Directory.Delete(dir, recursive: true); }
    }

    static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.Png => ".png",
        ImageFormat.Jpeg => ".jpg",
        ImageFormat.Tiff => ".tif",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
