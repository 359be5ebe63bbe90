using Nuclei.Core.Imaging;

namespace Nuclei.Core.Stacks;

/// <summary>Volume, z range and centroid of every nucleus of a 3D label stack (see <see cref="StackNucleus"/>).</summary>
internal static class StackMeasurer
{
    /// <param name="planes">the stack's label maps, plane 0 first</param>
    /// <returns>one entry per label present, by label</returns>
    public static IReadOnlyList<StackNucleus> Measure(IReadOnlyList<LabelImage> planes)
    {
        var sums = new Dictionary<int, Sums>();
        for (int z = 0; z < planes.Count; z++)
        {
            var plane = planes[z];
            for (int i = 0; i < plane.Data.Length; i++)
            {
                int label = plane.Data[i];
                if (label == 0) continue;
                if (!sums.TryGetValue(label, out var s)) sums[label] = s = new Sums { FirstZ = z };
                s.Add(z, i / plane.Width, i % plane.Width);
            }
        }
        return sums.OrderBy(p => p.Key).Select(p => p.Value.Nucleus(p.Key)).ToList();
    }

    /// <summary>Running sums of one label's voxels (coordinate sums in double: whole numbers are exact up to 2^53).</summary>
    sealed class Sums
    {
        public int FirstZ, LastZ;
        long count;
        double z, y, x;

        public void Add(int zz, int yy, int xx)
        {
            count++;
            z += zz; y += yy; x += xx;
            LastZ = zz;
        }

        public StackNucleus Nucleus(int label) => new(label, count, FirstZ, LastZ, z / count, y / count, x / count);
    }
}
