using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;
using TorchSharp;

namespace Nuclei.Tests.Models.Detection;

/// <summary>Mask R-CNN through the project's front doors: registry, checkpoint files, and segmentation as `nuclei segment` runs it.</summary>
// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public sealed class MaskRcnnWiringTests
{
    [Fact]
    public void Registry_knows_both_detectors_with_their_encoders()
    {
        Assert.True(ModelRegistry.IsDetector("maskrcnn_resnet18_fpn"));
        Assert.False(ModelRegistry.IsDetector("camunet_resnet18"));
        using var r18 = (MaskRcnn)ModelRegistry.Create("maskrcnn_resnet18_fpn");
        using var r34 = (MaskRcnn)ModelRegistry.Create("maskrcnn_resnet34_fpn");
        Assert.Equal("resnet18_imagenet", r18.EncoderName);
        Assert.Equal("resnet34", r34.EncoderName);
        Assert.Equal(32, r18.SizeMultiple);
        Assert.Equal([HeadKind.Semantic], r18.Heads);
        Assert.Throws<Nuclei.Core.NucleiInputException>(() => ModelRegistry.Create("maskrcnn_resnet18_fpn", new ModelOptions { Encoder = "vgg16" }));
    }

    [Theory]
    [InlineData(40, 50, 3)]
    [InlineData(48, 48, 1)]
    public void Checkpoint_round_trip_then_segmentation_gives_a_label_map_of_the_image_size(int height, int width, int channels)
    {
        string dir = Directory.CreateTempSubdirectory("nuclei-mrcnn-").FullName;
        try
        {
            string path = Path.Combine(dir, "m.nck");
            torch.manual_seed(5);
            using (var net = ModelRegistry.Create("maskrcnn_resnet18_fpn"))
                Checkpoint.Save(path, net, new CheckpointInfo { Configuration = [new("maskrcnn.score_threshold", "0.0"), new("maskrcnn.detections_per_image", "20")] });

            using var model = CheckpointModels.Load(path);
            Assert.NotNull(model.Detector);
            var partition = CheckpointModels.PartitionOptionsOf(CheckpointModels.SettingsOf(path));
            using var segmenter = new ModelSegmenter(new Predictor([model], new PredictionOptions(), ownsModels: false), partition);
            var image = new FloatImage(height, width, channels, Enumerable.Range(0, height * width * channels).Select(i => (i % 7) / 7f).ToArray());
            var labels = segmenter.Segment(image, "synthetic", out var maps);
            Assert.Equal((height, width), (labels.Height, labels.Width));
            Assert.Equal((height, width), (maps.Height, maps.Width));
            Assert.InRange(labels.MaxLabel(), 0, 20);   // at most detections_per_image nuclei, read from the checkpoint
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_dense_model_and_a_detector_segment_as_a_mixed_ensemble_dense_model_first()
    {
        string dir = Directory.CreateTempSubdirectory("nuclei-mixed-").FullName;
        try
        {
            string unet = Path.Combine(dir, "unet.nck"), detector = Path.Combine(dir, "mrcnn.nck"), detector2 = Path.Combine(dir, "mrcnn2.nck");
            torch.manual_seed(5);
            using (var net = ModelRegistry.Create("unet", new ModelOptions { BaseWidth = 4, Depth = 2 }))
                Checkpoint.Save(unet, net, new CheckpointInfo());
            using (var net = ModelRegistry.Create("maskrcnn_resnet18_fpn"))
                Checkpoint.Save(detector, net, new CheckpointInfo { Configuration = [new("maskrcnn.score_threshold", "0.0")] });
            File.Copy(detector, detector2);

            using (var mixed = Nuclei.NucleiSegmenter.Load(new Nuclei.SegmenterOptions { Models = [unet, detector] }))
            {
                var image = new FloatImage(40, 48, 3, Enumerable.Range(0, 40 * 48 * 3).Select(i => (i % 11) / 11f).ToArray());
                var labels = mixed.Segment(image, "synthetic").Labels;
                Assert.Equal((40, 48), (labels.Height, labels.Width));
            }
            var first = Assert.Throws<Nuclei.Core.NucleiInputException>(() => Nuclei.NucleiSegmenter.Load(new Nuclei.SegmenterOptions { Models = [detector, unet] }));
            Assert.Contains("dense model comes first", first.Message);
            var two = Assert.Throws<Nuclei.Core.NucleiInputException>(() => Nuclei.NucleiSegmenter.Load(new Nuclei.SegmenterOptions { Models = [unet, detector, detector2] }));
            Assert.Contains("one detector", two.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
