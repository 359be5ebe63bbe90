using System.Globalization;
using NetVips;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;

namespace Nuclei.Bench.Big;

/// <summary>
/// Helpers of bench/big-slide.sh. <c>big-slide build DIR SIZE OUT.tif</c>: a SIZE² synthetic slide, the top-left 256²
/// of the DSB-layout training images in name order (gray ones as RGB), repeated as needed, written by libvips as a
/// tiled RGB BigTIFF without ever holding it, or as an RGB PNG when OUT ends in .png (the 16 MP upload of
/// bench/serve-memory.sh: <c>big-slide build DIR 4000 slide.png</c>, 4000² being the server's default pixel limit). <c>big-slide agree A B</c>: mean AP of label image B against A and their counts.
/// </summary>
public static class BigSlideBench
{
    const int Tile = 256;

    public static int Run(string[] args)
    {
        if (args.Length == 4 && args[0] == "build") return Build(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args[3]);
        if (args.Length == 3 && args[0] == "agree") return Agree(args[1], args[2]);
        Console.Error.WriteLine("usage: big-slide build TRAIN_DIR SIZE OUT.tif|OUT.png | big-slide agree REFERENCE_LABELS LABELS");
        return 2;
    }

    static int Build(string trainDir, int size, string outPath)
    {
        var sources = Directory.GetDirectories(trainDir).OrderBy(d => d, StringComparer.Ordinal)
            .Select(d => Path.Combine(d, "images", Path.GetFileName(d) + ".png")).Where(File.Exists).ToList();
        var crops = new List<Image>();
        foreach (string path in sources)
        {
            var image = Image.NewFromFile(path);
            if (image.Width < Tile || image.Height < Tile) continue;
            if (image.HasAlpha()) image = image.ExtractBand(0, n: image.Bands - 1);
            if (image.Bands == 1) image = image.Bandjoin(image, image);
            crops.Add(image.Crop(0, 0, Tile, Tile).Cast(Enums.BandFormat.Uchar));
        }
        int across = (size + Tile - 1) / Tile;
        var tiles = Enumerable.Range(0, across * across).Select(k => crops[k % crops.Count]).ToArray();
        using var slide = Image.Arrayjoin(tiles, across: across).Crop(0, 0, size, size);
        if (outPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) slide.Pngsave(outPath);
        else slide.Tiffsave(outPath, tile: true, tileWidth: 512, tileHeight: 512, bigtiff: true, compression: Enums.ForeignTiffCompression.Deflate);
        Console.WriteLine($"built {outPath}: {size}x{size} from {crops.Count} training images");
        return 0;
    }

    static int Agree(string referencePath, string labelsPath)
    {
        var reference = Read(referencePath);
        var labels = Read(labelsPath);
        var score = DsbMetric.Score(reference, labels);
        int a = reference.MaxLabel(), b = labels.MaxLabel();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mean_ap={score.MeanAp:F4} f1_at_50={score.F1At50:F4} reference_nuclei={a} nuclei={b} count_difference={(b - a) * 100.0 / Math.Max(1, a):F2}%"));
        return 0;
    }

    /// <summary>A label image (PNG or TIFF, any integer depth) through libvips.</summary>
    static LabelImage Read(string path)
    {
        using var vips = Image.NewFromFile(path);
        using var ints = vips.Cast(Enums.BandFormat.Int);
        return new LabelImage(vips.Height, vips.Width, ints.WriteToMemory<int>());
    }
}
