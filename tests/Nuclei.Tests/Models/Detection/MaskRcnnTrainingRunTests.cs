using Nuclei.Core.Configuration;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Models;
using Nuclei.Torch.Training;
using Nuclei.Tests.Training;

namespace Nuclei.Tests.Models.Detection;

/// <summary>`nuclei train` with param.model = maskrcnn_…: the ordinary loop, batches, validation and checkpoints.</summary>
[Collection("torch-training")]
public sealed class MaskRcnnTrainingRunTests
{
    [Fact]
    public void A_tiny_run_trains_validates_and_saves_a_loadable_detector()
    {
        string root = SyntheticNuclei.TempDir("mrcnn-run");
        try
        {
            string data = SyntheticNuclei.Create(Path.Combine(root, "data"));
            var overrides = SyntheticNuclei.TinyRun(epochs: 2)
                .Concat(["param.model=maskrcnn_resnet34_fpn", "param.width=64", "param.learn_rate=0.0001",
                    "maskrcnn.rpn_pre_nms_top_n_train=300", "maskrcnn.rpn_post_nms_top_n_train=300", "maskrcnn.box_batch_per_image=64"])
                .ToArray();
            var config = ConfigurationLoader.Load(null, overrides);
            var log = new StringWriter();
            TrainingResult result;
            try { result = Trainer.Run(new TrainingRequest(data, Path.Combine(root, "out"), config, ResumeMode.Fresh), new PlainTrainingObserver(log)); }
            catch (Exception e) { throw new InvalidOperationException($"{e.Message}\n{log}", e); }
            Assert.DoesNotContain("not scored", log.ToString());

            Assert.Equal(2, result.Epochs.Count);
            Assert.All(result.Epochs, e => Assert.True(double.IsFinite(e.Loss) && e.Loss > 0, $"epoch {e.Epoch} loss {e.Loss}"));
            Assert.All(result.Epochs, e => Assert.NotNull(e.ValidKindMeanAp));   // validated through the segmenter
            Assert.Equal(0, result.SkippedSteps);
            var loaded = Checkpoint.Load(result.BestCheckpoint!);
            using var net = loaded.Net;
            Assert.IsType<MaskRcnn>(net);
            Assert.Contains(loaded.Info.Configuration, kv => kv.Key == "maskrcnn.box_batch_per_image" && kv.Value == "64");
        }
        finally { Directory.Delete(root, true); }
    }
}
