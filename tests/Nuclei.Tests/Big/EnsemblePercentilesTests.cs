using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Tests.Inference;

namespace Nuclei.Tests.Big;

/// <summary>
/// Block-wise segmentation measures one intensity range for a whole image, at the percentiles the model stretches each
/// image by; the members of an ensemble must agree on them.
/// </summary>
public class EnsemblePercentilesTests
{
    static (string, string)[] Percentiles(string low, string high) =>
        [("pre.normalize", "percentile"), ("pre.percentile_low", low), ("pre.percentile_high", high)];

    [Fact]
    public void An_ensemble_agreeing_on_its_percentiles_gives_them()
    {
        using var files = new TestCheckpoints();
        string a = files.Save(seed: 1, fileName: "a.nck", configuration: Percentiles("1.0", "99.8"));
        string b = files.Save(seed: 2, fileName: "b.nck", configuration: Percentiles("1.0", "99.8"));
        using var segmenter = NucleiSegmenter.Load(new SegmenterOptions { Models = [a, b] });
        Assert.Equal(new PercentileStretch(1.0, 99.8), segmenter.NormalizationPercentiles);
    }

    [Fact]
    public void An_ensemble_disagreeing_on_its_percentiles_is_an_error_naming_each_model()
    {
        using var files = new TestCheckpoints();
        string a = files.Save(seed: 1, fileName: "a.nck", configuration: Percentiles("1.0", "99.8"));
        string b = files.Save(seed: 2, fileName: "b.nck", configuration: Percentiles("2.0", "99.0"));
        using var segmenter = NucleiSegmenter.Load(new SegmenterOptions { Models = [a, b] });
        var e = Assert.Throws<NucleiInputException>(() => segmenter.NormalizationPercentiles);
        Assert.Contains("a.nck: 1-99.8", e.Message);
        Assert.Contains("b.nck: 2-99", e.Message);
    }
}
