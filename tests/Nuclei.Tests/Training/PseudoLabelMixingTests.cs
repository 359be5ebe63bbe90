using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Torch.Training;

namespace Nuclei.Tests.Training;

[Collection("torch-training")]
public class PseudoLabelMixingTests
{
    static TrainingResult Train(string data, string outDir, TextWriter log, params string[] extra) =>
        Trainer.Run(new TrainingRequest(data, outDir, ConfigurationLoader.Load(null, [.. SyntheticNuclei.TinyRun(epochs: 1), .. extra]), ResumeMode.Fresh),
            new PlainTrainingObserver(log));

    [Fact]
    public void A_run_mixes_in_pseudo_labelled_images_and_validates_on_real_ones_only()
    {
        string root = SyntheticNuclei.TempDir("pseudo-mix");
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            string pseudo = SyntheticNuclei.Create(Path.Combine(root, "pseudo"), count: 3, seed: 5, prefix: "p");
            var log = new StringWriter();
            var result = Train(data, Path.Combine(root, "out"), log, $"dataset.pseudo_data={pseudo}", "dataset.pseudo_ratio=0.5");
            Assert.Single(result.Epochs);
            Assert.Contains("Loaded 3 training, 1 validation and 3 pseudo-labelled images", log.ToString());
            Assert.DoesNotContain(",p", File.ReadAllText(Path.Combine(root, "out", "split.csv")));   // pseudo images are in no split
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void Pseudo_labels_of_a_validation_image_are_refused()
    {
        string root = SyntheticNuclei.TempDir("pseudo-leak");
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            string leak = SyntheticNuclei.Create(Path.Combine(root, "leak"), seed: 9);   // the same ids img0..img3, one of them held out
            var e = Assert.Throws<NucleiInputException>(() => Train(data, Path.Combine(root, "out"), TextWriter.Null, $"dataset.pseudo_data={leak}"));
            Assert.Contains("holds a validation image", e.Message);
        }
        finally { Directory.Delete(root, true); }
    }
}
