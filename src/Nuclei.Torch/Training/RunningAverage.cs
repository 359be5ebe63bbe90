namespace Nuclei.Torch.Training;

/// <summary>Last value and mean since reset (samuelschen/DSB2018's "batch (epoch)" pairs).</summary>
internal sealed class RunningAverage
{
    double _sum;
    public int Count { get; private set; }
    public double Last { get; private set; }
    /// <summary>NaN before the first value: an epoch whose every step was skipped has no loss, not a loss of 0.</summary>
    public double Mean => Count == 0 ? double.NaN : _sum / Count;

    public void Add(double value) { Last = value; _sum += value; Count++; }
    public void Reset() { _sum = 0; Count = 0; Last = double.NaN; }
}
