using Nuclei.Core.IO;
using OpenCvSharp;

namespace Nuclei.Core.Imaging;

/// <summary>
/// Reading images and label maps, writing label maps and overlays. Everything goes through OpenCV
/// (<c>ImreadModes.Unchanged</c>, so bit depth and channel count are kept as in the file).
/// Every read problem becomes a <see cref="NucleiInputException"/> naming the file.
/// </summary>
internal static class ImageIO
{
    /// <summary>Extensions we read as images (lower case, with the dot).</summary>
    public static readonly IReadOnlySet<string> ImageExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".tif", ".tiff", ".jpg", ".jpeg", ".bmp" };

    /// <summary>An image by its extension, and not a temporary file of an unfinished (or killed) write.</summary>
    public static bool IsImageFile(string path) => ImageExtensions.Contains(Path.GetExtension(path)) && !TemporaryFiles.IsTemporary(path);

    /// <summary>
    /// Reads an image as floats in 0..1: 8-bit /255, 16-bit /65535, float kept as is. Channels as in the file,
    /// except that alpha is dropped (gray+alpha → 1, RGBA → 3) and colour comes out in R,G,B order.
    /// NaN and infinite samples (float files) are replaced by the image's median, reported through
    /// <paramref name="warn"/> (see <see cref="NonFiniteSamples"/>); an image without a finite sample is an error.
    /// </summary>
    public static FloatImage ReadImage(string path, Action<string>? warn = null)
    {
        var image = ReadSamples(path);
        NonFiniteSamples.Replace(image, path, warn);
        return image;
    }

    /// <summary>The samples of an image as <see cref="ReadImage"/> gives them, NaN and infinities kept (for readers that refuse them).</summary>
    internal static FloatImage ReadSamples(string path)
    {
        using Mat mat = Decode(path);
        return Samples(mat, path);
    }

    /// <summary>
    /// <see cref="ReadImage(string, Action{string}?)"/> for an encoded image held in memory (an upload);
    /// <paramref name="name"/> only names it in messages.
    /// </summary>
    public static FloatImage ReadImage(byte[] encoded, string name, Action<string>? warn = null)
    {
        using Mat mat = Decode(encoded, name);
        var image = Samples(mat, name);
        NonFiniteSamples.Replace(image, name, warn);
        return image;
    }

    /// <summary>
    /// The decoded samples as floats, alpha dropped and B,G,R turned to R,G,B. The channels are picked at the file's own
    /// depth and then converted straight into the image's array, so decoding holds the file's samples, the picked
    /// channels at that depth and the floats: 18 bytes a pixel for 8-bit RGB (a float copy of each step took 39).
    /// </summary>
    static FloatImage Samples(Mat mat, string path)
    {
        int channels = mat.Channels();
        if (channels is not (1 or 2 or 3 or 4))
            throw new NucleiInputException(path, $"unsupported channel count {channels} (expected gray, RGB or RGBA)");

        double scale = mat.Depth() switch
        {
            MatType.CV_8U => 1.0 / 255,
            MatType.CV_16U => 1.0 / 65535,
            MatType.CV_32F or MatType.CV_64F => 1.0,
            _ => throw new NucleiInputException(path, $"unsupported pixel type {mat.Type()} (expected 8-bit, 16-bit or float)"),
        };

        using Mat picked = new();
        switch (channels)
        {
            case 1: break;
            case 2: Cv2.ExtractChannel(mat, picked, 0); break; // gray + alpha
            case 3: Cv2.CvtColor(mat, picked, ColorConversionCodes.BGR2RGB); break;
            default: Cv2.CvtColor(mat, picked, ColorConversionCodes.BGRA2RGB); break;
        }
        var source = channels == 1 ? mat : picked;
        var image = new FloatImage(mat.Rows, mat.Cols, source.Channels());
        ConvertInto(source, image, scale);
        return image;
    }

    /// <summary>Converts <paramref name="source"/> to floats times <paramref name="scale"/> directly into <paramref name="image"/>'s array.</summary>
    static unsafe void ConvertInto(Mat source, FloatImage image, double scale)
    {
        fixed (float* data = image.Data)
        {
            using var target = Mat.FromPixelData(image.Height, image.Width, MatType.CV_32FC(image.Channels), (IntPtr)data);
            source.ConvertTo(target, target.Type(), scale);
            // same size and type: OpenCV writes into the array given; a Mat of its own would leave the image empty
            if (target.Data != (IntPtr)data) throw new InvalidOperationException("OpenCV did not convert into the image's array");
        }
    }

    /// <summary>
    /// Reads an instance label map: one channel, 8-bit, 16-bit or 32-bit integers (or float holding whole numbers),
    /// 0 = background. A colour file whose channels are all equal is accepted as gray.
    /// </summary>
    public static LabelImage ReadLabels(string path)
    {
        using Mat raw = Decode(path);
        using Mat mat = SingleChannelLabels(raw, path);
        var labels = new LabelImage(mat.Rows, mat.Cols);
        switch (mat.Depth())
        {
            case MatType.CV_8U:
            case MatType.CV_16U:
            case MatType.CV_16S:
            case MatType.CV_32S:
            {
                using Mat ints = new();
                mat.ConvertTo(ints, MatType.CV_32SC1);
                CopyOut(ints, labels.Data.AsSpan());
                break;
            }
            case MatType.CV_32F:
            case MatType.CV_64F:
            {
                using Mat doubles = new();
                mat.ConvertTo(doubles, MatType.CV_64FC1);
                var values = new double[labels.PixelCount];
                CopyOut(doubles, values.AsSpan());
                for (int i = 0; i < values.Length; i++)
                {
                    double v = values[i];
                    if (v != Math.Floor(v) || v > int.MaxValue)
                        throw new NucleiInputException(path, $"label map holds a non-integer or too large value {v} at pixel {i % labels.Width},{i / labels.Width}");
                    labels.Data[i] = (int)v;
                }
                break;
            }
            default:
                throw new NucleiInputException(path, $"unsupported label map pixel type {mat.Type()}");
        }

        CheckLabelValues(labels, path);
        return labels;
    }

    /// <summary>
    /// Refuses negative labels, and labels over <see cref="ImageLimits.MaxLabel"/>: tools size arrays by the largest
    /// label (a single pixel of 1,500,000,000 would cost gigabytes), and real label maps number their nuclei from 1.
    /// </summary>
    static void CheckLabelValues(LabelImage labels, string path)
    {
        int max = ImageLimits.Current.MaxLabel;
        for (int i = 0; i < labels.Data.Length; i++)
        {
            int v = labels.Data[i];
            if (v < 0)
                throw new NucleiInputException(path, $"label map holds a negative label {v} at pixel {i % labels.Width},{i / labels.Width}");
            if (v > max)
                throw new ImageLimitException(path, $"label map holds the label {v} at pixel {i % labels.Width},{i / labels.Width}, over the limit of {max}; number the nuclei from 1");
        }
    }

    /// <summary>
    /// Writes a label map as a 16-bit PNG, or as a 32-bit TIFF when a label exceeds 65535 (PNG cannot hold it):
    /// then the extension is changed to .tif. Returns the path actually written. Atomic.
    /// </summary>
    public static string WriteLabels(string path, LabelImage labels)
    {
        var (bytes, extension) = EncodeLabels(labels, Path.GetExtension(path));
        string target = Path.ChangeExtension(path, extension);
        AtomicFile.WriteAllBytes(target, bytes);
        return target;
    }

    /// <summary>
    /// Encodes a label map as <paramref name="extension"/> (16-bit), or as a 32-bit TIFF when a label exceeds
    /// 65535 and the extension is not already a TIFF. Returns the bytes and the extension they are in.
    /// </summary>
    public static (byte[] Bytes, string Extension) EncodeLabels(LabelImage labels, string extension)
    {
        int max = 0;
        foreach (int v in labels.Data)
        {
            if (v < 0) throw new ArgumentException($"label map holds a negative label {v}");
            if (v > max) max = v;
        }

        bool wide = max > ushort.MaxValue;
        string ext = wide && !IsTiff(extension) ? ".tif" : extension;
        using var mat = new Mat(labels.Height, labels.Width, wide ? MatType.CV_32SC1 : MatType.CV_16UC1);
        unsafe
        {
            if (wide)
                labels.Data.AsSpan().CopyTo(new Span<int>((void*)mat.Data, labels.PixelCount));
            else
            {
                var dst = new Span<ushort>((void*)mat.Data, labels.PixelCount);
                var src = labels.Data;
                for (int i = 0; i < src.Length; i++) dst[i] = (ushort)src[i];
            }
        }
        return (Encode(ext, mat), ext);
    }

    /// <summary>
    /// Writes an overlay picture: the image (stretched for display, gray shown as gray) with the outline of
    /// every nucleus in a colour distinct from its neighbours'. See <see cref="OverlayPicture"/>. Atomic.
    /// </summary>
    public static void WriteOverlay(string path, FloatImage image, LabelImage labels, OverlayOptions? options = null) =>
        AtomicFile.WriteAllBytes(path, EncodeOverlay(image, labels, Path.GetExtension(path), options));

    /// <summary>The overlay of <see cref="WriteOverlay"/>, encoded as <paramref name="extension"/>.</summary>
    public static byte[] EncodeOverlay(FloatImage image, LabelImage labels, string extension, OverlayOptions? options = null)
    {
        using var mat = OverlayPicture.Compose(image, labels, options ?? OverlayOptions.Default);
        return Encode(extension, mat);
    }

    /// <summary>Encodes a B,G,R picture (an overlay already composed) as <paramref name="extension"/>.</summary>
    public static byte[] EncodePicture(Mat picture, string extension) => Encode(extension, picture);

    /// <summary>Writes an image (0..1 floats) as an 8-bit PNG/TIFF/etc., chosen by the extension. Atomic. Handy for probability maps.</summary>
    public static void WriteImage8(string path, FloatImage image) =>
        AtomicFile.WriteAllBytes(path, EncodeImage8(image, Path.GetExtension(path)));

    /// <summary>The 8-bit image of <see cref="WriteImage8"/>, encoded as <paramref name="extension"/>.</summary>
    public static byte[] EncodeImage8(FloatImage image, string extension)
    {
        if (image.Channels is not (1 or 3)) throw new ArgumentException($"can only write 1- or 3-channel images, got {image.Channels}");
        using var mat = new Mat(image.Height, image.Width, image.Channels == 1 ? MatType.CV_8UC1 : MatType.CV_8UC3);
        unsafe
        {
            var dst = new Span<byte>((void*)mat.Data, image.Data.Length);
            var src = image.Data;
            int c = image.Channels;
            for (int i = 0; i < src.Length; i += c)
                for (int k = 0; k < c; k++)
                {
                    int from = c == 3 ? i + 2 - k : i; // RGB → BGR
                    dst[i + k] = (byte)Math.Clamp(MathF.Round(src[from] * 255f), 0, 255);
                }
        }
        return Encode(extension, mat);
    }

    static bool IsTiff(string extension) => extension.ToLowerInvariant() is ".tif" or ".tiff";

    /// <summary>
    /// Decodes a file with OpenCV as stored (bit depth, channels and alpha kept), turning every failure into a clear
    /// input error. The headers pass <see cref="ImageGate"/> first (size, pages, completeness), and the decoded size
    /// must be the declared one. The caller disposes the Mat.
    /// </summary>
    public static Mat Decode(string path)
    {
        if (Directory.Exists(path)) throw new NucleiInputException(path, "is a folder, not an image file");
        var declared = ImageGate.Open(path);
        if (declared.Format == EncodedFormat.Tiff && declared.Planes.Count > 1) MultiPlaneImage.RequireOnePlane(path); // OpenCV would read page 1 alone
        ImageGate.AdmitWhole(declared, [declared.First]);
        return AsDeclared(Checked(() => Cv2.ImRead(path, ImreadModes.Unchanged), path), declared);
    }

    /// <summary><see cref="Decode(string)"/> for encoded bytes in memory.</summary>
    public static Mat Decode(byte[] encoded, string name)
    {
        var declared = ImageGate.Open(encoded, name);
        ImageGate.AdmitWhole(declared, [declared.First]);
        return AsDeclared(Checked(() => Cv2.ImDecode(encoded, ImreadModes.Unchanged), name), declared);
    }

    /// <summary>The decoded image, when it has the size its header declares (a decoder that gives less has not read it all).</summary>
    static Mat AsDeclared(Mat mat, DeclaredImage declared)
    {
        if (mat.Cols == declared.First.Width && mat.Rows == declared.First.Height) return mat;
        string size = $"{mat.Cols}x{mat.Rows}";
        mat.Dispose();
        throw new NucleiInputException(declared.Name, $"decoded size {size} differs from the header's {declared.First.Size}");
    }

    /// <summary>Runs an OpenCV decoder, turning its exceptions and empty results into input errors naming <paramref name="name"/>.</summary>
    static Mat Checked(Func<Mat> decode, string name)
    {
        Mat mat;
        try
        {
            mat = decode();
        }
        catch (Exception e) when (e is OpenCVException or OpenCvSharpException)
        {
            throw new NucleiInputException(name, $"cannot decode image: {UntrustedText.Clean(e.Message, 300)}", e);
        }
        if (mat.Empty())
        {
            mat.Dispose();
            throw new NucleiInputException(name, "cannot decode image (corrupt, truncated or unsupported format)");
        }
        return mat;
    }

    static Mat SingleChannelLabels(Mat raw, string path)
    {
        int channels = raw.Channels();
        if (channels == 1) return raw.Clone();
        if (channels is 3 or 4)
        {
            // Some tools save label maps as RGB with equal channels; accept those, reject real colour.
            Mat[] planes = Cv2.Split(raw);
            try
            {
                using Mat diff1 = new(), diff2 = new();
                Cv2.Absdiff(planes[0], planes[1], diff1);
                Cv2.Absdiff(planes[0], planes[2], diff2);
                if (Cv2.CountNonZero(diff1) == 0 && Cv2.CountNonZero(diff2) == 0)
                    return planes[0].Clone();
            }
            finally
            {
                foreach (var p in planes) p.Dispose();
            }
        }
        if (channels == 2)
        {
            var gray = new Mat();
            Cv2.ExtractChannel(raw, gray, 0);
            return gray;
        }
        throw new NucleiInputException(path, $"a label map must have one channel, this file has {channels} with different values");
    }

    /// <summary>
    /// Encodes in memory, so the bytes reach the disk through our own checked writes (OpenCV's file writer
    /// ignores write errors: on a full disk it reports success for a truncated file).
    /// </summary>
    static byte[] Encode(string extension, Mat mat)
    {
        if (!Cv2.ImEncode(extension, mat, out byte[] bytes) || bytes.Length == 0)
            throw new IOException($"OpenCV could not encode a {mat.Type()} image as {extension}");
        return bytes;
    }

    /// <summary>Copies a continuous Mat's elements into a managed span of the same element type.</summary>
    static unsafe void CopyOut<T>(Mat mat, Span<T> destination) where T : unmanaged
    {
        if (mat.IsContinuous())
        {
            new ReadOnlySpan<T>((void*)mat.Data, destination.Length).CopyTo(destination);
            return;
        }
        using Mat continuous = mat.Clone(); // Clone() always yields a continuous matrix
        new ReadOnlySpan<T>((void*)continuous.Data, destination.Length).CopyTo(destination);
    }
}
