namespace Nuclei.Torch.Training;

/// <summary>
/// Learning rate as a pure function of the position in the run (in epochs, fractional) plus the plateau factor
/// that validation updates: so a resumed run sets exactly the rate the uninterrupted run would have had.
/// Schedules: constant; step (× gamma every StepEpochs); cosine (Loshchilov &amp; Hutter 2017, SGDR, one cycle
/// to the last epoch, down to BaseRate·MinRatio); plateau (× factor when validation stops improving).
/// Cosine and step start with a linear warm-up over WarmupEpochs.
/// </summary>
internal sealed record LearningRateSchedule(string Kind, double BaseRate, int Epochs, int StepsPerEpoch,
    double WarmupEpochs = 0, double MinRatio = 0.01, int StepEpochs = 100, double StepGamma = 0.3)
{
    public static readonly string[] Kinds = ["constant", "step", "cosine", "plateau"];

    /// <summary>The rate at optimizer step <paramref name="step"/> (0-based, counted over the whole run).</summary>
    public double RateAt(long step, double plateauFactor = 1.0) => RateAtEpoch(step / (double)Math.Max(1, StepsPerEpoch), plateauFactor);

    /// <summary>The rate at a fractional epoch position (0 = start, Epochs = end of the run).</summary>
    public double RateAtEpoch(double epoch, double plateauFactor = 1.0)
    {
        double oneStep = 1.0 / Math.Max(1, StepsPerEpoch);
        double warm = Kind is "cosine" or "step" && WarmupEpochs > 0 && epoch < WarmupEpochs ? Math.Min(1, (epoch + oneStep) / WarmupEpochs) : 1.0;
        switch (Kind)
        {
            case "constant": return BaseRate;
            case "plateau": return BaseRate * plateauFactor;
            case "step": return warm * BaseRate * Math.Pow(StepGamma, Math.Floor(epoch / Math.Max(1, StepEpochs)));
            case "cosine":
                if (warm < 1) return warm * BaseRate;
                double span = Math.Max(1e-9, Epochs - WarmupEpochs);
                double t = Math.Clamp((epoch - WarmupEpochs) / span, 0, 1);
                double min = BaseRate * MinRatio;
                return min + (BaseRate - min) * 0.5 * (1 + Math.Cos(Math.PI * t));
            default: throw new ArgumentException($"unknown schedule '{Kind}' (known: {string.Join(", ", Kinds)})");
        }
    }
}
