using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;

namespace Nuclei.Bench.Core;

/// <summary>
/// Whole-training-set costs of the core library: decoding the 664 images with their 28,986 mask PNGs, and
/// scoring every label map against an eroded copy. Run once (they take tens of seconds):
/// <c>NUCLEI_STAGE1_TRAIN=/path/to/stage1_train dotnet run -c Release --project bench/Nuclei.Bench -- --filter '*TrainingSet*'</c>
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1)]
[MemoryDiagnoser]
public class TrainingSetBenchmarks
{
    IReadOnlyList<AnnotatedSample> samples = Array.Empty<AnnotatedSample>();
    (LabelImage Truth, LabelImage Eroded)[] pairs = Array.Empty<(LabelImage, LabelImage)>();

    [Params(1, 2)] public int Threads;

    static string Root => Environment.GetEnvironmentVariable("NUCLEI_STAGE1_TRAIN") ?? Path.Combine("..", "shared", "data", "dsb2018", "stage1_train");   // run from the repository root

    [GlobalSetup]
    public void Setup()
    {
        samples = DsbDataset.Scan(Root).Samples;
        pairs = samples.AsParallel().AsOrdered().Select(s =>
        {
            var l = DsbDataset.LoadLabels(s);
            return (l, LabelErosion.ErodeEach(l));
        }).ToArray();
    }

    [Benchmark(Description = "load 664 images + masks")]
    public long LoadAll()
    {
        long pixels = 0;
        Parallel.ForEach(samples, new ParallelOptions { MaxDegreeOfParallelism = Threads },
            s => Interlocked.Add(ref pixels, DsbDataset.Load(s).Labels.PixelCount));
        return pixels;
    }

    [Benchmark(Description = "score 664 label maps vs eroded copies")]
    public double ScoreAll()
    {
        var scores = new ImageScore[pairs.Length];
        Parallel.For(0, pairs.Length, new ParallelOptions { MaxDegreeOfParallelism = Threads },
            i => scores[i] = DsbMetric.Score(pairs[i].Truth, pairs[i].Eroded));
        return DatasetScore.Aggregate(scores).MeanAp;
    }
}
