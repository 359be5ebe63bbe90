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

public class FormerSettingsTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-former-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Ini(string text)
    {
        string path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".ini");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void An_original_toolkit_config_is_refused_with_the_key_and_what_replaces_it()
    {
        string ini = Ini("[param]\nmodel = camunet\n[valid]\npred_orig_size = True\n");
        var e = Assert.Throws<NucleiInputException>(() => ConfigurationLoader.Load(ini, []));
        Assert.Contains(ini, e.Message);
        Assert.Contains("[valid] pred_orig_size is no longer read: prediction never resizes an image", e.Message);

        var bare = Assert.Throws<NucleiInputException>(() => ConfigurationLoader.Load(null, ["detect=True"]));
        Assert.Contains("'detect' is no longer read: the contour target is set by [contour] adjacent_boundary_only", bare.Message);
        var section = Assert.Throws<NucleiInputException>(() => ConfigurationLoader.Load(Ini("[res_camunet]\nbranch_marker = True\n"), []));
        Assert.Contains("[res_camunet] is the original toolkit's model res_camunet: here camunet_resnet34", section.Message);
        var unknown = Assert.Throws<NucleiInputException>(() => ConfigurationLoader.Load(null, ["valid.no_such_key=1"]));
        Assert.Contains("unknown configuration key [valid] no_such_key", unknown.Message);
    }

    [Fact]
    public void A_run_saved_by_an_earlier_version_with_keys_no_longer_read_still_loads()
    {
        string run = Ini("[train]\nn_epoch = 5\nlog_name = myrun\n[valid]\nprint_table = False\nensemble = avg\n");
        var c = ConfigurationLoader.Load(null, [], runIniPath: run);
        Assert.Equal(5, c.GetInt("train", "n_epoch"));
        Assert.False(c.Has("train", "log_name"));
    }

    [Fact]
    public void Train_names_the_equivalent_of_an_original_architecture_and_refuses_pretrained_without_weights()
    {
        var former = Nuclei.Tests.Core.SamplesAndEvaluateTests.RunCli("train", "--data", TestData.SamplesDir, "--out", Path.Combine(dir, "a"), "--arch", "res_camunet");
        Assert.Equal(2, former.Exit);
        Assert.Contains("[param] model = 'res_camunet' is the original DSB2018 toolkit's name; here: camunet_resnet34", former.Err);
        var noWeights = Nuclei.Tests.Core.SamplesAndEvaluateTests.RunCli("train", "--data", TestData.SamplesDir, "--out", Path.Combine(dir, "b"), "--arch", "camunet_resnet34", "train.n_batch=2");
        Assert.Equal(2, noWeights.Exit);
        Assert.Contains("encoder 'resnet34' has no ImageNet weights in this build (those that have: resnet18_imagenet); set param.pretrained=False", noWeights.Err);
        Assert.False(File.Exists(Path.Combine(dir, "b", "best.nck")));
    }

    [Fact]
    public void The_keys_no_code_read_are_gone_from_the_defaults()
    {
        // The keys no code reads were removed; this guards against their return.
        var c = ConfigurationLoader.Defaults();
        foreach (var (section, key) in new[] { ("valid", "pred_orig_size"), ("valid", "test_time_augment"), ("valid", "ensemble"), ("valid", "print_table"), ("train", "log_name") })
            Assert.False(c.Has(section, key), $"[{section}] {key}");
    }
}
