using Nuclei.Cli;
using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Settings;
using Nuclei.Torch.Models;
using Nuclei.Torch.Training;

namespace Nuclei.Tests.Models;

/// <summary>
/// What the registry says of each architecture (its own encoder, its default options) is said once, in
/// <see cref="ModelRegistry"/>, and <c>nuclei models</c> reads it from there; none of these tests builds a network.
/// </summary>
public sealed class ModelRegistryEntryTests
{
    static readonly string[] OwnEncoder = ["dunet", "camdunet", "camunet_lite", "caunet_lite", "dcan", "maskrcnn_resnet18_fpn", "maskrcnn_resnet34_fpn"];

    [Fact]
    public void The_architectures_with_their_own_encoder_take_no_other()
    {
        Assert.Equal(["unet", "caunet", "camunet", "scamunet"], ModelRegistry.Names.Where(ModelRegistry.TakesEncoder));
        Assert.True(ModelRegistry.TakesEncoder("camunet_resnet34"));
        Assert.False(ModelRegistry.TakesEncoder("no_such_net"));
        foreach (string arch in OwnEncoder)
        {
            Assert.False(ModelRegistry.TakesEncoder(arch), arch);
            var e = Assert.Throws<NucleiInputException>(() => ModelRegistry.Create(arch, new ModelOptions { Encoder = "vgg16" }));
            Assert.Contains($"{arch} has its own (", e.Message);
            Assert.Contains("cannot take 'vgg16'", e.Message);
        }
    }

    [Fact]
    public void Every_architecture_has_default_options_the_defaults_of_ModelOptions_today()
    {
        foreach (string arch in ModelRegistry.Names)
            Assert.Equal(new ModelOptions(), ModelRegistry.DefaultOptionsOf(arch));
        Assert.Equal(new ModelOptions(), ModelRegistry.DefaultOptionsOf("camunet_resnet34"));
        Assert.Throws<NucleiInputException>(() => ModelRegistry.DefaultOptionsOf("no_such_net"));
    }

    [Fact]
    public void Models_lists_every_encoder_suffix_from_the_encoder_factory()
    {
        var suffixes = EncoderFactory.Names.Where(e => e != new ModelOptions().Encoder).ToList();
        Assert.Equal("Any architecture takes an encoder suffix (_resnet18, _resnet34, _vgg16, _densenet121, _resnet18_imagenet); --all lists them.",
            ModelsCommand.EncoderSuffixHint);
        Assert.All(suffixes, s => Assert.Contains("_" + s, ModelsCommand.EncoderSuffixHint));

        var all = ModelsCommand.ListedNames(all: true);
        var expected = ModelRegistry.Names.Concat(
            ModelRegistry.Names.Where(ModelRegistry.TakesEncoder).SelectMany(a => suffixes.Select(s => $"{a}_{s}")));
        Assert.Equal(expected, all);
        Assert.DoesNotContain(all, n => OwnEncoder.Any(o => n.StartsWith(o + "_", StringComparison.Ordinal)));
        Assert.Equal(ModelRegistry.Names, ModelsCommand.ListedNames(all: false).Take(ModelRegistry.Names.Count));
    }

    [Theory]
    [InlineData("resnet34")]
    [InlineData("vgg16")]
    [InlineData("densenet121")]
    [InlineData("resnet18")]
    public void Pretrained_on_an_encoder_without_weights_is_an_error_naming_the_setting_and_the_encoders_with_weights(string encoder)
    {
        var options = new TrainingOptions { ModelName = "unet_" + encoder, ModelOptions = new ModelOptions { Encoder = encoder }, Pretrained = true };
        var e = Assert.Throws<NucleiInputException>(() => TrainingStart.RequireWeightsIfPretrained(options));
        Assert.Equal([Setting.Pretrained], e.Settings.Distinct());
        string withWeights = string.Join(", ", EncoderFactory.Names.Where(EncoderFactory.HasImageNetWeights));
        Assert.Equal("resnet18_imagenet", withWeights);
        Assert.Equal($"configuration: param.pretrained = True, but encoder '{encoder}' has no ImageNet weights in this build " +
            $"(those that have: {withWeights}); set param.pretrained=False to train it from random weights, or choose an encoder with weights",
            e.MessageFor(SettingFlags.Names));
        Assert.Contains("param.pretrained = True", e.Message);

        TrainingStart.RequireWeightsIfPretrained(options with { Pretrained = false });
        TrainingStart.RequireWeightsIfPretrained(options with { ModelOptions = new ModelOptions { Encoder = "resnet18_imagenet" } });
        TrainingStart.RequireWeightsIfPretrained(options with { ModelOptions = new ModelOptions() });
    }
}
