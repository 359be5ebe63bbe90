using Nuclei.Core.Imaging;

namespace Nuclei.Tests.Safety;

/// <summary>Gray images of bright discs on a dark background (no annotations), which the classical method segments.</summary>
public static class SyntheticImages
{
    public static string[] Write(string dir, int count, int size = 64, int seed = 1)
    {
        Directory.CreateDirectory(dir);
        var rng = new Random(seed);
        var paths = new string[count];
        for (int n = 0; n < count; n++)
        {
            var img = new FloatImage(size, size, 1);
            for (int i = 0; i < img.Data.Length; i++) img.Data[i] = 0.1f + 0.05f * (float)rng.NextDouble();
            for (int k = 0; k < 3 + rng.Next(4); k++)
            {
                int cy = 8 + rng.Next(size - 16), cx = 8 + rng.Next(size - 16), r = 4 + rng.Next(3);
                for (int y = cy - r; y <= cy + r; y++)
                    for (int x = cx - r; x <= cx + r; x++)
                        if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r) img.Data[y * size + x] = 0.8f;
            }
            paths[n] = Path.Combine(dir, $"img{n:D2}.png");
            ImageIO.WriteImage8(paths[n], img);
        }
        return paths;
    }

    /// <summary>SHA-256 of every file under <paramref name="dir"/>, by relative path.</summary>
    public static Dictionary<string, string> Checksums(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), OutputFolder.Sha256);
}
