using Nuclei.Core.Imaging;
using Nuclei.Tests.Safety;
using static Nuclei.Bench.Hostile.HostileBytes;

namespace Nuclei.Bench.Hostile;

/// <summary>
/// The files of the hostile corpus, family by family: headers that claim huge sizes, cut files, TIFF page chains and
/// plane metadata that lie, label maps with labels past the limit, junk, hostile names, special files and the valid
/// controls. Every file is small (the 65,541-page TIFF, the largest, is about 8 MB).
/// </summary>
internal static class HostileCorpus
{
    public static IEnumerable<CorpusEntry> Entries() =>
        HugeHeaders().Concat(Truncated()).Concat(TiffStructure()).Concat(Planes()).Concat(Labels())
            .Concat(Junk()).Concat(Names()).Concat(Special()).Concat(Controls());

    static CorpusEntry File(string key, string name, string family, string expect, string lie, byte[] bytes, string role = "image", int? nuclei = null) =>
        new(key, name, family, role, expect, lie, path => System.IO.File.WriteAllBytes(path, bytes), nuclei);

    static IEnumerable<CorpusEntry> HugeHeaders()
    {
        const string f = "huge-header";
        yield return File("png-100000", "huge-100000.png", f, "refuse", "IHDR 100000x100000 (10 gigapixels), 64 bytes of data", LyingPng(100_000, 100_000));
        yield return File("png-65535", "huge-65535.png", f, "refuse", "IHDR 65535x65535", LyingPng(65_535, 65_535));
        yield return File("png-int-max", "huge-2147483647.png", f, "refuse", "IHDR 2147483647x2147483647 (the PNG maximum)", LyingPng(int.MaxValue, int.MaxValue));
        yield return File("png-zero-width", "zero-width.png", f, "refuse", "IHDR 0x64 (the PNG specification forbids 0)", LyingPng(0, 64));
        yield return File("png-30000-thin", "thin-30000.png", f, "refuse", "IHDR 30000x30000 = 900 MP, under the 1000 MP limit, but 64 bytes of data", LyingPng(30_000, 30_000));
        yield return File("png-16000-thin", "thin-16000.png", f, "refuse", "IHDR 16000x16000 = 256 MP, under the whole-image limit, but 64 bytes of data", LyingPng(16_000, 16_000));
        yield return File("tiff-100000", "huge-100000.tif", f, "refuse", "ImageWidth/Length 100000x100000, one byte of strip", TiffFile.Write([TiffPage.Gray(1, 1) with { Width = 100_000, Height = 100_000 }]));
        yield return File("tiff-65536", "huge-65536.tif", f, "refuse", "ImageWidth/Length 65536x65536", TiffFile.Write([TiffPage.Gray(1, 1) with { Width = 65_536, Height = 65_536 }]));
        yield return File("tiff-float-40000", "float32-40000.tif", f, "refuse", "40000x40000 32-bit float (6.4 GB of samples), 4 kB deflated strip", TiffFile.Write([TiffPage.LyingDeflated(40_000, 40_000, 32, 3)]));
        yield return File("tiff-uint-max", "huge-4294967295x1.tif", f, "refuse", "ImageWidth 4294967295 (the LONG maximum), height 1", TiffFile.Write([TiffPage.Gray(1, 1) with { Width = uint.MaxValue }]));
        yield return File("tiff-16000-thin", "thin-16000.tif", f, "refuse", "16000x16000 deflated, under the whole-image limit, 4 kB of data", TiffFile.Write([TiffPage.LyingDeflated(16_000, 16_000)]));
        yield return File("bigtiff-100000", "huge-100000-bigtiff.tif", f, "refuse", "BigTIFF 100000x100000, one byte of strip", TiffFile.WriteBig(TiffPage.Gray(1, 1) with { Width = 100_000, Height = 100_000 }));
        yield return File("jpeg-65535", "huge-65535.jpg", f, "refuse", "SOF0 65535x65535 in a 16x16 JPEG", HostileImages.LyingJpeg(65_535, 65_535));
        yield return File("jpeg-40000", "huge-40000.jpg", f, "refuse", "SOF0 40000x40000 in a 16x16 JPEG", HostileImages.LyingJpeg(40_000, 40_000));
        yield return File("jpeg-height-0", "height-0.jpg", f, "refuse", "SOF0 height 0 (to come in a DNL marker), and no DNL", HostileImages.LyingJpeg(16, 0));
        yield return File("bmp-100000", "huge-100000.bmp", f, "refuse", "BITMAPINFOHEADER 100000x100000 in a 16x16 BMP", LyingBmp(100_000, 100_000));
        yield return File("bmp-top-down", "huge-top-down.bmp", f, "refuse", "width 100000, height -100000 (top-down rows)", LyingBmp(100_000, -100_000));
        yield return File("bmp-height-min", "height-int-min.bmp", f, "refuse", "height -2147483648, whose negation overflows", LyingBmp(16, int.MinValue));
        yield return File("bmp-int-max", "huge-2147483647.bmp", f, "refuse", "width 2147483647, height 16", LyingBmp(int.MaxValue, 16));
        yield return File("tiff-page2-huge", "page2-100000x20000.tif", f, "refuse", "page 1 64x64, page 2 100000x20000 (2000 MP)",
            TiffFile.Write([TiffPage.Gray(64, 64), TiffPage.LyingDeflated(100_000, 20_000)]));
        yield return File("tiff-page2-30000", "page2-30000.tif", f, "either", "page 1 64x64, page 2 30000x30000 (900 MP: under the pixel limit, over the whole-image one)",
            TiffFile.Write([TiffPage.Gray(64, 64), TiffPage.LyingDeflated(30_000, 30_000)]));
    }

    static IEnumerable<CorpusEntry> Truncated()
    {
        foreach (string ext in new[] { ".png", ".jpg", ".tif", ".bmp" })
        {
            byte[] whole = HostileImages.Encode(ext, 256, 256);
            foreach (int percent in new[] { 10, 30, 90 })
                yield return File($"cut-{ext[1..]}-{percent}", $"cut-{percent}{ext}", "truncated", "refuse",
                    $"a 256x256 {ext[1..].ToUpperInvariant()} cut to its first {percent} %", HostileImages.Cut(whole, percent / 100.0));
        }
        yield return File("cut-tiff-page2", "cut-page2.tif", "truncated", "refuse", "2 pages, the last 20 bytes (page 2's directory) cut off",
            TiffFile.Write([TiffPage.Gray(64, 64), TiffPage.Gray(64, 64)])[..^20]);
        yield return File("tiff-short-strip", "short-strip.tif", "truncated", "refuse", "a 64x64 page whose strip holds 100 of its 4096 bytes",
            TiffFile.Write([new TiffPage(64, 64, new byte[100])]));
    }

    static IEnumerable<CorpusEntry> TiffStructure()
    {
        const string f = "tiff-structure";
        yield return File("ifd-loop", "ifd-loop.tif", f, "either", "2 pages, page 2's next IFD points back at page 1",
            TiffFile.Write([TiffPage.Gray(4, 4, 10), TiffPage.Gray(4, 4, 20)], lastPointsToPage: 0));
        yield return File("ifd-self-loop", "ifd-self-loop.tif", f, "either", "1 page (the control) whose next IFD is itself",
            TiffFile.Write([ControlImages.Page8()], lastPointsToPage: 0), nuclei: ControlImages.Count);
        yield return File("ifd-loop-middle", "ifd-loop-middle.tif", f, "either", "3 pages, page 3's next IFD points at page 2",
            TiffFile.Write([TiffPage.Gray(4, 4, 10), TiffPage.Gray(4, 4, 20), TiffPage.Gray(4, 4, 30)], lastPointsToPage: 1));
        yield return File("ifd-next-past-end", "ifd-next-past-end.tif", f, "either", "1 page (the control) whose next IFD is at 0xFFFFFFF0, past the end",
            TiffFile.Write([ControlImages.Page8()], lastNext: 0xFFFF_FFF0), nuclei: ControlImages.Count);
        yield return File("ifd-next-into-header", "ifd-next-odd.tif", f, "either", "1 page (the control) whose next IFD is at offset 1, inside the header",
            TiffFile.Write([ControlImages.Page8()], lastNext: 1), nuclei: ControlImages.Count);
        yield return File("ifd-first-past-end", "ifd-first-past-end.tif", f, "refuse", "header whose first IFD is at 0xFFFFFF00",
            [.. "II*\0"u8, 0x00, 0xFF, 0xFF, 0xFF]);
        yield return File("ifd-65535-entries", "ifd-65535-entries.tif", f, "refuse", "first IFD declares 65535 entries (786 kB), 64 bytes follow",
            TiffFile.WithEntryCount(65_535, 64));
        yield return File("ifd-0-entries", "ifd-0-entries.tif", f, "refuse", "first IFD has no entries (no size, no strips)", TiffFile.WithEntryCount(0, 8));
        foreach (int pages in new[] { 32_767, 32_768, 65_541 })
            yield return File($"pages-{pages}", $"pages-{pages}.tif", f, "either", $"{pages} pages of 1x1 without metadata (past the signed 16-bit page index at 32768)",
                TiffFile.Write(Enumerable.Range(0, pages).Select(k => TiffPage.Gray(1, 1, (byte)(k % 251))).ToList()));
        yield return File("tiff-compression-unknown", "compression-50000.tif", f, "refuse-when-decoded", "Compression 50000 (no such scheme)",
            TiffFile.Write([ControlImages.Page8() with { Compression = 50_000 }]));
        yield return File("tiff-bits-1", "bits-1.tif", f, "either", "1 bit per sample (bilevel), 64x64", TiffFile.Write([new TiffPage(64, 64, new byte[64 * 8], Bits: 1)]));
        yield return File("tiff-bits-12", "bits-12.tif", f, "either", "12 bits per sample, 64x64", TiffFile.Write([new TiffPage(64, 64, new byte[64 * 96], Bits: 12)]));
        yield return File("tiff-float64", "float64.tif", f, "either", "64-bit float samples, 64x64", TiffFile.Write([new TiffPage(64, 64, new byte[64 * 64 * 8], Bits: 64, SampleFormat: 3)]));
        yield return File("tiff-float16", "float16.tif", f, "either", "the control as 16-bit (half) floats",
            TiffFile.Write([new TiffPage(ControlImages.Size, ControlImages.Size, ControlImages.FloatSamples(16), Bits: 16, SampleFormat: 3)]), nuclei: ControlImages.Count);
        byte[] nan = Enumerable.Repeat(BitConverter.GetBytes(float.NaN), 64 * 64).SelectMany(b => b).ToArray();
        yield return File("tiff-float-nan", "float32-all-nan.tif", f, "refuse-when-decoded", "32-bit float, every sample NaN", TiffFile.Write([new TiffPage(64, 64, nan, Bits: 32, SampleFormat: 3)]));
        yield return File("tiff-5-samples", "chunky-5-samples.tif", f, "either", "one page of 5 samples per pixel (chunky), 64x64",
            TiffFile.Write([new TiffPage(64, 64, new byte[64 * 64 * 5], SamplesPerPixel: 5)]));
    }

    /// <summary>ImageJ and OME-XML plane metadata in the first ImageDescription; OmeXml is the tests' Inputs/TestTiffs.OmeXml.</summary>
    static IEnumerable<CorpusEntry> Planes()
    {
        const string f = "plane-metadata";
        static byte[] TwoPages(string description) => TiffFile.Write([TiffPage.Gray(4, 4) with { Description = description }, TiffPage.Gray(4, 4)]);
        yield return File("imagej-99999999", "imagej-99999999.tif", f, "refuse-as-stack", "ImageJ channels=99999999 slices=99999999 on 2 pages",
            TwoPages("ImageJ=1.54f\nimages=2\nchannels=99999999\nslices=99999999\n"));
        yield return File("imagej-65536", "imagej-65536x65536x2.tif", f, "refuse-as-stack", "ImageJ channels=65536 slices=65536 frames=2 on 2 pages",
            TwoPages("ImageJ=1.54f\nchannels=65536\nslices=65536\nframes=2\n"));
        yield return File("imagej-negative", "imagej-negative.tif", f, "either", "ImageJ channels=-2 on 2 pages", TwoPages("ImageJ=1.54f\nimages=2\nchannels=-2\n"));
        yield return File("imagej-garbage", "imagej-garbage.tif", f, "either", "ImageJ channels=2x slices=1e9 (not integers)", TwoPages("ImageJ=1.54f\nchannels=2x\nslices=1e9\n"));
        yield return File("ome-sizez", "ome-sizez-2000000000.tif", f, "refuse-as-stack", "OME-XML SizeZ=2000000000 on 2 pages",
            TwoPages(OmeXml(4, 4, 1, 2).Replace("SizeZ=\"2\"", "SizeZ=\"2000000000\"")));
        yield return File("ome-firstz", "ome-firstz-2000000000.tif", f, "refuse-as-stack", "OME-XML TiffData FirstZ=2000000000 PlaneCount=2000000000",
            TwoPages(OmeXml(4, 4, 1, 2, tiffData: "<TiffData IFD=\"0\" FirstZ=\"2000000000\" PlaneCount=\"2000000000\"/>")));
        // an external entity may not stand in an attribute (XML 1.0, WFC: No External Entity References), so in the Image's Description
        yield return File("ome-xxe", "ome-xxe.tif", f, "either", "OME-XML whose image description is an external entity: file:///etc/passwd",
            TwoPages("<?xml version=\"1.0\"?><!DOCTYPE OME [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" +
                OmeXml(4, 4, 1, 2)[38..].Replace("Name=\"test\">", "Name=\"test\"><Description>&xxe;</Description>")));
        yield return File("ome-external-dtd", "ome-external-dtd.tif", f, "either", "OME-XML with an external DTD at http://127.0.0.1:9/ (a network fetch)",
            TwoPages("<?xml version=\"1.0\"?><!DOCTYPE OME SYSTEM \"http://127.0.0.1:9/ome.dtd\">" + OmeXml(4, 4, 1, 2)[38..]));
        yield return File("ome-billion-laughs", "ome-billion-laughs.tif", f, "either", "OME-XML with the billion-laughs entities (10^9 'lol') in a channel name",
            TwoPages(BillionLaughs + OmeXml(4, 4, 2, 1, names: ["&lol9;", "b"])[38..]));
        yield return File("ome-malformed", "ome-malformed.tif", f, "either", "OME-XML cut in the middle of a tag", TwoPages(OmeXml(4, 4, 1, 2)[..200]));
        var control = ControlImages.Page8();
        yield return File("imagej-5-channels", "imagej-5-channels.tif", f, "either", "5 channels (ImageJ hyperstack), each the control",
            TiffFile.Write([control with { Description = "ImageJ=1.54f\nimages=5\nchannels=5\nhyperstack=true\nmode=grayscale\n" }, control, control, control, control]), nuclei: ControlImages.Count);
        yield return File("ome-5-channels", "ome-5-channels.tif", f, "either", "5 channels (OME-TIFF), each the control",
            TiffFile.Write([control with { Description = OmeXml(ControlImages.Size, ControlImages.Size, 5, 1) }, control, control, control, control]), nuclei: ControlImages.Count);
    }

    const string BillionLaughs = "<?xml version=\"1.0\"?><!DOCTYPE OME [<!ENTITY lol \"lol\">" +
        "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">" +
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">" +
        "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\"><!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">" +
        "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\"><!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">" +
        "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>";

    /// <summary>OME-XML of one uint16 image (a copy of the tests' Inputs/TestTiffs.OmeXml; its first 38 characters are the XML declaration).</summary>
    static string OmeXml(int height, int width, int sizeC, int sizeZ, string order = "XYZCT", IReadOnlyList<string>? names = null, string tiffData = "") =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" +
        "<OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\"><Image ID=\"Image:0\" Name=\"test\">" +
        $"<Pixels ID=\"Pixels:0\" DimensionOrder=\"{order}\" Type=\"uint16\" SizeX=\"{width}\" SizeY=\"{height}\" SizeC=\"{sizeC}\" SizeZ=\"{sizeZ}\" SizeT=\"1\">" +
        string.Concat(Enumerable.Range(0, sizeC).Select(c =>
            $"<Channel ID=\"Channel:0:{c}\" SamplesPerPixel=\"1\"{(names is null ? "" : $" Name=\"{names[c]}\"")}/>")) +
        tiffData + "</Pixels></Image></OME>";

    /// <summary>Label maps of the control's size, read as label maps (data check, evaluate) and as images (segment, the server).</summary>
    static IEnumerable<CorpusEntry> Labels()
    {
        const string f = "labels";
        static byte[] WithLabel(int label)
        {
            var labels = ControlImages.Labels();
            labels.Data[64 * ControlImages.Size + 64] = label;
            return ImageIO.EncodeLabels(labels, ".tif").Bytes;
        }
        yield return File("labels-1500000000", "labels-1500000000.tif", f, "refuse-as-labels", "a pixel of label 1,500,000,000 (a map that big would take 6 GB of counts)", WithLabel(1_500_000_000), "labels");
        yield return File("labels-int-max", "labels-2147483647.tif", f, "refuse-as-labels", "a pixel of label 2^31-1", WithLabel(int.MaxValue), "labels");
        yield return File("labels-16777217", "labels-16777217.tif", f, "refuse-as-labels", "a pixel of label 16,777,217, one past the limit", WithLabel(16_777_217), "labels");
        var negative = Enumerable.Range(0, 64 * 64).SelectMany(i => BitConverter.GetBytes(i == 2080 ? -1 : 0)).ToArray();
        yield return File("labels-negative", "labels-negative.tif", f, "either", "a signed 32-bit map with one pixel of label -1",
            TiffFile.Write([new TiffPage(64, 64, negative, Bits: 32, SampleFormat: 2)]), "labels");
        var fractional = Enumerable.Range(0, 64 * 64).SelectMany(i => BitConverter.GetBytes(i % 7 == 0 ? 1.5f : 0f)).ToArray();
        yield return File("labels-float", "labels-float.tif", f, "either", "a 32-bit float map of labels 1.5",
            TiffFile.Write([new TiffPage(64, 64, fractional, Bits: 32, SampleFormat: 3)]), "labels");
        yield return File("labels-control-png", "control.labels.png", "control", "read", "nothing: the control's true label map (16-bit PNG)",
            ImageIO.EncodeLabels(ControlImages.Labels(), ".png").Bytes, "labels", ControlImages.Count);
        yield return File("labels-control-tif", "control.labels.tif", "control", "read", "nothing: the control's true label map (16-bit TIFF)",
            ImageIO.EncodeLabels(ControlImages.Labels(), ".tif").Bytes, "labels", ControlImages.Count);
    }

    static IEnumerable<CorpusEntry> Junk()
    {
        const string f = "junk";
        foreach (string ext in new[] { ".png", ".tif", ".tiff", ".jpg", ".jpeg", ".bmp" })
            yield return File($"empty-{ext[1..]}", $"empty{ext}", f, "refuse", "zero bytes", []);
        int seed = 1;
        foreach (string ext in new[] { ".png", ".tif", ".jpg", ".bmp" })
            yield return File($"noise-{ext[1..]}", $"noise{ext}", f, "refuse", "4 kB of random bytes", Noise(4096, seed++));
        yield return File("noise-after-png-signature", "png-signature-then-noise.png", f, "refuse", "the PNG signature, then random bytes", [.. PngSignature, .. Noise(4096, seed++)]);
        yield return File("noise-after-tiff-header", "tiff-header-then-noise.tif", f, "refuse", "a TIFF header (first IFD at 8), then random bytes", [.. "II*\0"u8, 8, 0, 0, 0, .. Noise(4096, seed++)]);
        yield return File("noise-after-jpeg-soi", "jpeg-soi-then-noise.jpg", f, "refuse", "the JPEG start-of-image marker, then random bytes", [0xFF, 0xD8, .. Noise(4096, seed++)]);
        yield return File("noise-after-bm", "bmp-magic-then-noise.bmp", f, "refuse", "the BMP magic 'BM', then random bytes", [.. "BM"u8, .. Noise(4096, seed++)]);
        yield return File("text-as-png", "text.png", f, "refuse", "a text file named .png", "this is not an image\n"u8.ToArray());
        yield return File("html-as-png", "html.png", f, "refuse", "an HTML page named .png", "<!doctype html><html><body><script>alert(1)</script></body></html>\n"u8.ToArray());
        yield return File("gif-as-png", "gif.png", f, "refuse", "a GIF header named .png", [.. "GIF89a"u8, 16, 0, 16, 0, 0, 0, 0, .. Noise(64, seed++)]);
        yield return File("png-signature-only", "signature-only.png", f, "refuse", "the 8-byte PNG signature and nothing else", PngSignature);
        byte[] control = ControlImages.Encoded8(".png");
        yield return File("png-bad-crc-ihdr", "bad-crc-ihdr.png", f, "either", "the control PNG with its IHDR CRC inverted", Flip(control, 8 + 8 + 13), nuclei: ControlImages.Count);
        yield return File("png-bad-crc-iend", "bad-crc-iend.png", f, "either", "the control PNG with its IEND CRC inverted", Flip(control, control.Length - 1), nuclei: ControlImages.Count);
        yield return File("png-chunk-name-newline", "chunk-name-newline.png", f, "either", "a chunk named 'a\\nbC' (a line break in a chunk type)",
            PngOfChunks(("IHDR", Ihdr(64, 64)), ("a\nbC", [1, 2, 3]), ("IDAT", HonestIdat(64, 64)), ("IEND", [])));
        yield return File("png-chunk-length-2gb", "chunk-length-2gb.png", f, "refuse", "a tEXt chunk declaring 2147483647 bytes, 16 present",
            [.. PngOfChunks(("IHDR", Ihdr(64, 64)))[..33], 0x7F, 0xFF, 0xFF, 0xFF, .. "tEXt"u8, .. Noise(16, seed++)]);
        yield return File("png-no-idat", "no-idat.png", f, "refuse-when-decoded", "IHDR and IEND, no pixel data", PngOfChunks(("IHDR", Ihdr(64, 64)), ("IEND", [])));
        yield return File("png-no-iend", "no-iend.png", f, "either", "the control PNG without its IEND chunk", control[..^12], nuclei: ControlImages.Count);
        yield return File("jpeg-soi-only", "soi-only.jpg", f, "refuse", "FF D8 and nothing else", [0xFF, 0xD8]);
        byte[] jpeg = ControlImages.Encoded8(".jpg");
        yield return File("jpeg-no-scan", "no-scan.jpg", f, "refuse", "the control JPEG cut right before its start-of-scan", jpeg[..HostileImages.FindMarker(jpeg, 0xDA)]);
        yield return File("png-named-tif", "png-inside.tif", f, "either", "the control PNG named .tif", control, nuclei: ControlImages.Count);
        yield return File("jpeg-named-png", "jpeg-inside.png", f, "either", "the control JPEG named .png", jpeg, nuclei: ControlImages.Count);
    }

    /// <summary>The control image under names that break lines, terminals, shells or length limits.</summary>
    static IEnumerable<CorpusEntry> Names()
    {
        const string f = "names";
        byte[] control = ControlImages.Encoded8(".png");
        (string Key, string Name, string Lie)[] names =
        [
            ("name-newline", "line\nbreak.png", "a line break in the name"),
            ("name-tab", "tab\there.png", "a tab in the name"),
            ("name-carriage-return", "carriage\rreturn.png", "a carriage return in the name"),
            ("name-escape", "escape-\u001b[31mred.png", "a terminal escape sequence (ESC [31m) in the name"),
            ("name-delete", "delete-\u007f.png", "the DEL character in the name"),
            ("name-250-bytes", "long-" + new string('n', 241) + ".png", "a name of 250 bytes (the file-system limit is 255)"),
            ("name-leading-dash", "-rf.png", "a name that starts with a dash, like an option"),
            ("name-shell", "quotes 'single' \"double\" $(echo x) `x` ;.png", "quotes, $(...), backquotes and a semicolon in the name"),
            ("name-unicode", "noyaux-é-核-😀.png", "non-ASCII letters and an emoji (4-byte UTF-8) in the name"),
            ("name-leading-space", " leading-space.png", "a name that starts with a space"),
        ];
        foreach (var (key, name, lie) in names) yield return File(key, name, f, "either", lie, control, nuclei: ControlImages.Count);
    }

    static IEnumerable<CorpusEntry> Special()
    {
        const string f = "special";
        byte[] control = ControlImages.Encoded8(".png");
        yield return new("fifo", "fifo.png", f, "image", "refuse", "a FIFO (named pipe) named .png: opening it waits for a writer for ever", SpecialFiles.Fifo);
        yield return new("dangling-link", "dangling-link.png", f, "image", "refuse", "a symbolic link to a file that does not exist", p => SpecialFiles.Link(p, "does-not-exist.png"));
        yield return new("link-loop", "link-loop.png", f, "image", "refuse", "a symbolic link to itself", p => SpecialFiles.Link(p, Path.GetFileName(p)));
        yield return new("link-to-dev-zero", "dev-zero.png", f, "image", "refuse", "a symbolic link to /dev/zero (endless zeros)", p => SpecialFiles.Link(p, "/dev/zero"));
        yield return new("directory", "directory.png", f, "image", "refuse", "a folder named .png", p => Directory.CreateDirectory(p));
        yield return new("unreadable", "unreadable.png", f, "image", "either", "the control PNG with mode 000 (as root, which the runs are, it is read all the same)",
            p => SpecialFiles.Unreadable(p, control), ControlImages.Count);
        yield return new("link-to-control", "link-to-control.png", f, "image", "read", "nothing: a symbolic link to the control PNG",
            p => SpecialFiles.Link(p, "control.png"), ControlImages.Count);
    }

    static IEnumerable<CorpusEntry> Controls()
    {
        const string f = "control";
        int n = ControlImages.Count;
        yield return File("control-png", "control.png", f, "read", "nothing: 8-bit gray PNG of 6 nuclei", ControlImages.Encoded8(".png"), nuclei: n);
        yield return File("control-tif16", "control-16bit.tif", f, "read", "nothing: 16-bit gray TIFF of 6 nuclei", ControlImages.Tiff16(), nuclei: n);
        yield return File("control-tif8", "control-8bit.tif", f, "read", "nothing: 8-bit gray TIFF of 6 nuclei, one strip (the hand-written TIFFs' writer)", TiffFile.Write([ControlImages.Page8()]), nuclei: n);
        yield return File("control-float32", "control-float32.tif", f, "read", "nothing: 32-bit float TIFF of 6 nuclei",
            TiffFile.Write([new TiffPage(ControlImages.Size, ControlImages.Size, ControlImages.FloatSamples(32), Bits: 32, SampleFormat: 3)]), nuclei: n);
        yield return File("control-jpg", "control.jpg", f, "read", "nothing: JPEG of 6 nuclei", ControlImages.Encoded8(".jpg"), nuclei: n);
        yield return File("control-bmp", "control.bmp", f, "read", "nothing: 8-bit BMP of 6 nuclei", ControlImages.Encoded8(".bmp"), nuclei: n);
        yield return File("control-blue", "control-blue.png", f, "read", "nothing: RGB PNG, 6 nuclei in the blue channel", ControlImages.BluePng(), nuclei: n);
    }
}
