using Nuclei.Core;
using Nuclei.Core.Configuration;

namespace Nuclei.Tests.Training;

public class ConfigurationTests
{
    [Fact]
    public void DefaultsHaveTheOriginalToolkitsSections()
    {
        var c = ConfigurationLoader.Defaults();
        foreach (var s in new[] { "param", "contour", "train", "valid", "pre", "post", "dataset", "camunet" })
            Assert.Contains(s, c.SectionNames);
        Assert.Equal("camunet", c.GetString("param", "model"));
        Assert.Equal(0.1, c.GetDouble("dataset", "cv_ratio"));
        Assert.Equal(new[] { 0.5, 0.5, 0.5 }, c.GetDoubles("pre", "mean"));
        Assert.False(c.GetBool("pre", "color_invert"));
    }

    [Fact]
    public void UserIniOverridesDefaultsAndCommandLineOverridesBoth()
    {
        string ini = Path.Combine(Path.GetTempPath(), $"nuclei-cfg-{Guid.NewGuid():N}.ini");
        File.WriteAllText(ini, "[train]\nn_epoch = 7\nn_batch = 4\n[param]\nlearn_rate = 0.01\n");
        try
        {
            var c = ConfigurationLoader.Load(ini, new[] { "n_batch=2", "param.width=128" });
            Assert.Equal(7, c.GetInt("train", "n_epoch"));
            Assert.Equal(2, c.GetInt("train", "n_batch"));
            Assert.Equal(0.01, c.GetDouble("param", "learn_rate"));
            Assert.Equal(128, c.GetInt("param", "width"));
            string text = c.ToIni();
            Assert.Contains("n_batch = 2", text);
            Assert.Contains("; from " + Path.GetFullPath(ini), text);
            // The printed configuration reads back to the same values.
            string back = Path.Combine(Path.GetTempPath(), $"nuclei-cfg-{Guid.NewGuid():N}.ini");
            File.WriteAllText(back, text);
            var again = ConfigurationLoader.Load(back, Array.Empty<string>());
            File.Delete(back);
            Assert.Equal(c.ToIni().Split('\n').Where(l => !l.StartsWith(';')), again.ToIni().Split('\n').Where(l => !l.StartsWith(';')));
        }
        finally { File.Delete(ini); }
    }

    [Fact]
    public void UnknownKeyInUserIniIsAnErrorNamingFileAndKey()
    {
        string ini = Path.Combine(Path.GetTempPath(), $"nuclei-cfg-{Guid.NewGuid():N}.ini");
        File.WriteAllText(ini, "[train]\nn_epochs = 7\n");
        try
        {
            var e = Assert.Throws<NucleiInputException>(() => ConfigurationLoader.Load(ini, Array.Empty<string>()));
            Assert.Contains(ini, e.Message);
            Assert.Contains("n_epochs", e.Message);
        }
        finally { File.Delete(ini); }
    }

    [Theory]
    [InlineData("n_epoch=ten", "n_epoch", "integer")]
    [InlineData("train.balance_group=maybe", "balance_group", "True or False")]
    [InlineData("pre.mean=[0.5, x]", "mean", "list")]
    [InlineData("learn_rate=fast", "learn_rate", "number")]
    [InlineData("no_such_key=1", "no_such_key", "unknown")]
    [InlineData("min_object_size=1", "several sections", "section.min_object_size")]
    [InlineData("justtext", "justtext", "override")]
    public void BadOverridesAreClearErrors(string arg, string mention1, string mention2)
    {
        var e = Assert.Throws<NucleiInputException>(() => ConfigurationLoader.Load(null, new[] { arg }));
        Assert.Contains(mention1, e.Message);
        Assert.Contains(mention2, e.Message);
        Assert.StartsWith("command line", e.Message);
    }

    [Fact]
    public void IntegerIsAcceptedForANumberKey()
    {
        var c = ConfigurationLoader.Defaults().With("learn_rate=1");
        Assert.Equal(1.0, c.GetDouble("param", "learn_rate"));
    }
}
