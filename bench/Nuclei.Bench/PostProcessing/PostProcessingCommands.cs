using Nuclei.Core.PostProcessing;

namespace Nuclei.Bench.PostProcessing;

/// <summary>
/// `dotnet run -c Release --project bench/Nuclei.Bench -- postprocessing &lt;verb&gt; ...`:
///   prepare DATA OUT COUNT   — inputs for the scikit-image comparison
///   run DIR [REPS]           — our watershed / random walker on them, timed
///   oracle DATA [COUNT]      — Partition on truth-derived maps, mean AP (0 = all images)
///   classical DATA [COUNT] [ws|rw] [FRACTION] — the classical segmenter against the truth, mean AP
/// bench/postprocessing-vs-skimage.sh drives the comparison end to end.
/// </summary>
public static class PostProcessingCommands
{
    public static int Run(string[] args)
    {
        switch (args.ElementAtOrDefault(0))
        {
            case "prepare": SideBySideInputs.Prepare(args[1], args[2], int.Parse(args[3])); return 0;
            case "run": SideBySideOurs.Run(args[1], args.Length > 2 ? int.Parse(args[2]) : 3); return 0;
            case "oracle": OracleBench.Run(args[1], args.Length > 2 ? int.Parse(args[2]) : 0); return 0;
            case "classical": ClassicalBench.Run(args[1], args.Length > 2 ? int.Parse(args[2]) : 0, args.ElementAtOrDefault(3) ?? "",
                args.Length > 4 ? double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : Markers.DefaultPeakDistanceFraction); return 0;
            default:
                Console.Error.WriteLine("usage: postprocessing prepare DATA OUT COUNT | run DIR [REPS] | oracle DATA [COUNT] | classical DATA [COUNT] [ws|rw] [FRACTION]");
                return 2;
        }
    }
}
