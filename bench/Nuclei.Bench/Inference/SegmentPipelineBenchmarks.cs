using BenchmarkDotNet.Attributes;
using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Inference;

namespace Nuclei.Bench.Inference;

/// <summary>
/// End to end time per 256×256 image as `nuclei segment` does it: read the PNG, predict (without / with TTA),
/// partition with the random walker (the seed's policy, and what bench/python/segment_pipeline.py runs), write
/// the 16-bit label map. Each invocation takes the next image of the folder, so the median is over images.
/// Inputs: NUCLEI_BENCH_MODEL (checkpoint), NUCLEI_BENCH_IMAGES (folder of 256×256 images), NUCLEI_BENCH_OUT.
/// Run by bench/segment-vs-python.sh.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15, invocationCount: 1)]
[MemoryDiagnoser]
public class SegmentPipelineBenchmarks
{
    private ModelSegmenter _segmenter = null!;
    private string[] _images = null!;
    private string _out = null!;
    private int _next;

    [Params(false, true)]
    public bool Tta { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string model = Environment.GetEnvironmentVariable("NUCLEI_BENCH_MODEL") ?? throw new InvalidOperationException("set NUCLEI_BENCH_MODEL");
        string folder = Environment.GetEnvironmentVariable("NUCLEI_BENCH_IMAGES") ?? throw new InvalidOperationException("set NUCLEI_BENCH_IMAGES");
        _out = Environment.GetEnvironmentVariable("NUCLEI_BENCH_OUT") ?? Path.Combine(Path.GetTempPath(), "nuclei-bench-segment");
        Directory.CreateDirectory(_out);
        _images = Directory.GetFiles(folder, "*.png").OrderBy(p => p, StringComparer.Ordinal).ToArray();
        var predictor = new Predictor(new[] { CheckpointModels.Load(model) },
            new PredictionOptions { Mode = SizeMode.Pad, Transforms = Tta ? TestTimeAugmentation.Standard : null });
        var partition = CheckpointModels.PartitionOptionsOf(CheckpointModels.SettingsOf(model)) with { Policy = SplitPolicy.RandomWalker };
        _segmenter = new ModelSegmenter(predictor, partition);
    }

    [Benchmark]
    public int SegmentOneImage()
    {
        string path = _images[_next++ % _images.Length];
        var image = ImageIO.ReadImage(path);
        var labels = _segmenter.Segment(image, path);
        ImageIO.WriteLabels(Path.Combine(_out, Path.GetFileNameWithoutExtension(path) + ".png"), labels);
        return labels.MaxLabel();
    }

    [GlobalCleanup]
    public void Cleanup() => _segmenter.Dispose();
}
