namespace Nuclei.Tests.PostProcessing;

/// <summary>Synthetic shapes with known answers for the post-processing tests.</summary>
internal static class Shapes
{
    public static bool[] Discs(int height, int width, params (double Cy, double Cx, double R)[] discs)
    {
        var mask = new bool[height * width];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                foreach (var (cy, cx, r) in discs)
                    if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r) mask[y * width + x] = true;
        return mask;
    }

    public static float[] ToFloat(bool[] mask) => mask.Select(b => b ? 1f : 0f).ToArray();

    public static int At(int[] labels, int width, int y, int x) => labels[y * width + x];

    public static int CountLabels(int[] labels) => labels.Where(v => v > 0).Distinct().Count();
}
