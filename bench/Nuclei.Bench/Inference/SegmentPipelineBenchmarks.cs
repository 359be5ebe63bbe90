using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Nuclei.Core.Imaging;
using Nuclei.Core.PostProcessing;
using Nuclei.Core.Settings;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Runtime;

namespace Nuclei.Bench.Inference;

/// <summary>
/// End to end time per 256×256 image as `nuclei segment` does it: read the PNG, predict (without / with TTA),
/// partition with the random walker (samuelschen/DSB2018's policy, and what bench/python/segment_pipeline.py runs), write
/// the 16-bit label map. Each invocation takes the next image of the folder, so the median is over images.
/// Inputs: NUCLEI_BENCH_MODEL (checkpoint), NUCLEI_BENCH_IMAGES (folder of 256×256 images), NUCLEI_BENCH_OUT,
/// NUCLEI_BENCH_THREADS (libtorch threads; default libtorch's), NUCLEI_BENCH_PRECISION (fp32, bf16 or auto; default fp32).
/// Run by bench/segment-vs-python.sh.
/// </summary>
[Config(typeof(SegmentPipelineConfig))]
public class SegmentPipelineBenchmarks
{
    /// <summary>One image per iteration; iteration count from NUCLEI_BENCH_ITERATIONS (default 15), so a smoke run can be short.</summary>
    private sealed class SegmentPipelineConfig : ManualConfig
    {
        public SegmentPipelineConfig()
        {
            int iterations = int.TryParse(Environment.GetEnvironmentVariable("NUCLEI_BENCH_ITERATIONS"), out int n) && n > 0 ? n : 15;
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(iterations)
                .WithInvocationCount(1).WithUnrollFactor(1)
                // in process: BDN's generated child build would miss the build's Debian 12 fix of libLibTorchSharp
                .WithToolchain(InProcessEmitToolchain.Instance));
            AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        }
    }

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
        if (int.TryParse(Environment.GetEnvironmentVariable("NUCLEI_BENCH_THREADS"), out int threads) && threads > 0)
            TorchSharp.torch.set_num_threads(threads);
        _images = Directory.GetFiles(folder, "*.png").OrderBy(p => p, StringComparer.Ordinal).ToArray();
        var precision = ComputePrecisions.Parse(Environment.GetEnvironmentVariable("NUCLEI_BENCH_PRECISION") ?? "fp32", Setting.Precision);
        var predictor = new Predictor(new[] { CheckpointModels.Load(model, precision: precision) },
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
