using Nuclei.Server.Uploads;

namespace Nuclei.Tests.Server;

/// <summary>Format and size of uploads from their first bytes only.</summary>
public sealed class ImageHeaderTests
{
    [Fact]
    public void Png_tiff_and_jpeg_headers_give_format_and_size()
    {
        Assert.Equal(new ImageHeader(ImageFormat.Png, 96, 96), ImageHeader.Read(TestImages.Png(), out _));
        Assert.Equal(new ImageHeader(ImageFormat.Tiff, 96, 96), ImageHeader.Read(TestImages.Tiff16(), out _));
        Assert.Equal(new ImageHeader(ImageFormat.Jpeg, 96, 96), ImageHeader.Read(TestImages.Jpeg(), out _));
    }

    [Fact]
    public void Other_bytes_are_no_image()
    {
        Assert.Null(ImageHeader.Read("GIF89a......"u8, out string problem));
        Assert.Contains("not a PNG, TIFF or JPEG", problem);
        Assert.Null(ImageHeader.Read(TestImages.Jpeg()[..4], out problem));
        Assert.Contains("truncated", problem);
        Assert.Null(ImageHeader.Read(new byte[] { (byte)'I', (byte)'I', 42, 0, 0xFF, 0xFF, 0xFF, 0x7F }, out problem)); // IFD offset past the end
        Assert.Contains("truncated", problem);
    }
}
