using NetVips;
using Nuclei.Core.Imaging;

namespace Nuclei.Tests.Big;

/// <summary>Big test images: bright discs on a dark, slightly noisy background, and mosaics of the sample images; label TIFFs read back through libvips.</summary>
public static class SyntheticSlides
{
    /// <summary>An 8-bit gray image of non-overlapping discs (radius 5..13 px), seeded.</summary>
    public static FloatImage Discs(int size, int count, int seed)
    {
        var rng = new Random(seed);
        var image = new FloatImage(size, size, 1);
        var placed = new List<(int Y, int X, int R)>();
        for (int tries = 0; placed.Count < count && tries < count * 50; tries++)
        {
            int r = rng.Next(5, 14), y = rng.Next(r, size - r), x = rng.Next(r, size - r);
            if (placed.Any(d => (d.Y - y) * (d.Y - y) + (d.X - x) * (d.X - x) < (d.R + r + 3) * (d.R + r + 3))) continue;
            placed.Add((y, x, r));
            for (int dy = -r; dy <= r; dy++)
                for (int dx = -r; dx <= r; dx++)
                    if (dy * dy + dx * dx <= r * r) image[y + dy, x + dx] = 0.8f;
        }
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = MathF.Round((image.Data[i] + 0.1f + 0.05f * (float)rng.NextDouble()) * 255f) / 255f;
        return image;
    }

    /// <summary>Writes an image as a tiled, deflate-compressed BigTIFF (what a slide scanner's export looks like to libvips).</summary>
    public static void SaveTiledTiff(FloatImage image, string path)
    {
        var bytes = image.Data.Select(v => (byte)Math.Clamp(MathF.Round(v * 255f), 0, 255)).ToArray();
        using var vips = Image.NewFromMemory(bytes, image.Width, image.Height, image.Channels, Enums.BandFormat.Uchar);
        vips.Tiffsave(path, tile: true, tileWidth: 256, tileHeight: 256, bigtiff: true, compression: Enums.ForeignTiffCompression.Deflate);
    }

    /// <summary>A size² RGB mosaic of 256² crops of the sample images, in turn.</summary>
    public static string SampleMosaic(int tilesPerSide, string path)
    {
        var samples = Directory.GetDirectories(TestData.SamplesDir).Where(d => Directory.Exists(Path.Combine(d, "images")))
            .OrderBy(d => d, StringComparer.Ordinal)
            .Select(d => Directory.GetFiles(Path.Combine(d, "images"))[0]).ToList();
        var tiles = new List<Image>();
        for (int k = 0; k < tilesPerSide * tilesPerSide; k++)
        {
            var sample = Image.NewFromFile(samples[k % samples.Count]);
            if (sample.HasAlpha()) sample = sample.ExtractBand(0, n: sample.Bands - 1);
            if (sample.Bands == 1) sample = sample.Bandjoin(sample, sample);
            tiles.Add(sample.Crop(0, 0, 256, 256));
        }
        using var mosaic = Image.Arrayjoin(tiles.ToArray(), across: tilesPerSide);
        mosaic.WriteToFile(path);
        foreach (var t in tiles) t.Dispose();
        return path;
    }

    /// <summary>A label TIFF read back through libvips (not the code that wrote it).</summary>
    public static LabelImage ReadLabels(string path)
    {
        using var vips = Image.NewFromFile(path);
        using var ints = vips.Cast(Enums.BandFormat.Int);
        return new LabelImage(vips.Height, vips.Width, ints.WriteToMemory<int>());
    }
}
