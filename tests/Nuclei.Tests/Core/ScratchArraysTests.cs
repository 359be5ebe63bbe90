using Nuclei.Core.Memory;
using Nuclei.Core.PostProcessing;
using Xunit;

namespace Nuclei.Tests.Core;

/// <summary>Working arrays of a large image are not kept by the shared pool once the algorithm returns.</summary>
public class ScratchArraysTests
{
    [Fact]
    public void A_small_array_is_pooled_and_a_large_one_is_not()
    {
        var small = ScratchArrays.Rent<int>(1000);
        ScratchArrays.Return(small);
        Assert.Same(small, ScratchArrays.Rent<int>(1000)); // the pool gives the same array back on this thread

        var large = ScratchArrays.Rent<int>(ScratchArrays.MaxPooledLength + 1);
        Assert.Equal(ScratchArrays.MaxPooledLength + 1, large.Length); // its own size, not rounded up to a pool bucket
        ScratchArrays.Return(large);
        Assert.NotSame(large, ScratchArrays.Rent<int>(ScratchArrays.MaxPooledLength + 1));
    }

    [Fact]
    public void A_watershed_larger_than_the_pooled_size_gives_the_same_labels_as_its_halves()
    {
        // Two squares of 600² side by side (1,200 × 600 plus padding: above the pooled length), each with one marker:
        // the flood must fill each square with its own marker's label, as on a small image.
        int h = 600, w = 1200;
        var landscape = new float[h * w];
        var markers = new int[h * w];
        markers[300 * w + 300] = 1;
        markers[300 * w + 900] = 2;
        for (int y = 0; y < h; y++) landscape[y * w + 600] = 1f; // a ridge between the halves
        var labels = Watershed.Run(h, w, landscape, markers);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (x != 600) Assert.Equal(x < 600 ? 1 : 2, labels[y * w + x]); // the ridge itself may go either way
    }
}
