using Nuclei.Torch.Training;

namespace Nuclei.Bench.Generalisation;

/// <summary>`learning-curve RUN/log.csv OUT.png`: redraws a run's learning curve (against minutes) from its CSV log.</summary>
public static class LearningCurve
{
    public static int Run(string[] args)
    {
        if (args.Length != 2 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: learning-curve RUN/log.csv OUT.png");
            return 2;
        }
        var rows = new TrainingCsvLog(args[0]).Read();
        LearningCurvePlot.Write(args[1], rows);
        Console.WriteLine($"{rows.Count} epochs drawn into {args[1]}");
        return 0;
    }
}
