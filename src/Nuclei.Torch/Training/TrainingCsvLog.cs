using System.Globalization;

namespace Nuclei.Torch.Training;

/// <summary>One row per epoch in OUT/log.csv (appended; a resumed run continues the same file). valid_kind_map is the validation mean AP averaged over kinds of image.</summary>
internal sealed class TrainingCsvLog : ITrainingRecorder
{
    public const string Header = "epoch,step,elapsed_s,epoch_s,lr,loss,iou,images_per_s,input_share,valid_kind_map,valid_iou";
    readonly string _path;

    public TrainingCsvLog(string path)
    {
        _path = path;
        if (File.Exists(path)) Nuclei.Core.IO.RegularFile.Require(path, "training log");
        else File.WriteAllText(path, Header + "\n");
    }

    public void Append(EpochRecord r)
    {
        static string F(double? v) => v is double d ? d.ToString("0.######", CultureInfo.InvariantCulture) : "";
        File.AppendAllText(_path, string.Join(",", r.Epoch, r.Step, F(r.ElapsedSeconds), F(r.EpochSeconds), F(r.LearningRate), F(r.Loss), F(r.Iou),
            F(r.ImagesPerSecond), F(r.InputShare), F(r.ValidKindMeanAp), F(r.ValidIou)) + "\n");
    }

    void ITrainingRecorder.EpochDone(EpochRecord record, IReadOnlyList<EpochRecord> history) => Append(record);

    /// <summary>Drops rows after <paramref name="epoch"/> (epochs a killed run logged after its last checkpoint, which a resume redoes).</summary>
    public void KeepUpTo(int epoch)
    {
        var lines = File.ReadAllLines(_path);
        var kept = lines.Take(1).Concat(lines.Skip(1).Where(l => int.TryParse(l.Split(',')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int e) && e <= epoch)).ToArray();
        if (kept.Length != lines.Length) Nuclei.Core.IO.AtomicFile.WriteAllText(_path, string.Join("\n", kept) + "\n");
    }

    /// <summary>Rows already in the log (for the learning curve after a resume).</summary>
    public IReadOnlyList<EpochRecord> Read()
    {
        var list = new List<EpochRecord>();
        foreach (var line in File.ReadLines(_path).Skip(1))
        {
            var c = line.Split(',');
            if (c.Length < 11) continue;
            static double? P(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
            list.Add(new EpochRecord(int.Parse(c[0], CultureInfo.InvariantCulture), long.Parse(c[1], CultureInfo.InvariantCulture), P(c[2]) ?? 0, P(c[3]) ?? 0,
                P(c[4]) ?? 0, P(c[5]) ?? 0, P(c[6]) ?? 0, P(c[7]) ?? 0, P(c[8]) ?? 0, P(c[9]), P(c[10])));
        }
        return list;
    }
}

/// <summary>What one epoch measured; <see cref="ValidKindMeanAp"/> is the validation mean AP averaged over kinds of image (the score best.nck is chosen by).</summary>
internal sealed record EpochRecord(int Epoch, long Step, double ElapsedSeconds, double EpochSeconds, double LearningRate, double Loss, double Iou,
    double ImagesPerSecond, double InputShare, double? ValidKindMeanAp, double? ValidIou);
