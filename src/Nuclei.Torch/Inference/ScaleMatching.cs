namespace Nuclei.Torch.Inference;

/// <summary>
/// The rescaling factor that brings nuclei of a given diameter to the model's training diameter, within limits that
/// keep the image meaningful. A diameter the user gives always rescales (<see cref="Given"/>, as Cellpose's diameter
/// does); a diameter --diameter auto estimates leaves nuclei of sizes the model learned as they are, and factors
/// close to 1 are not worth a second pass.
/// </summary>
internal static class ScaleMatching
{
    public const double MinFactor = 0.25, MaxFactor = 4.0;

    /// <summary>Factors within this ratio of 1 (either way) count as 1.</summary>
    public const double Tolerance = 1.2;

    /// <summary>The factor for a diameter the user gave: the training diameter over it, within the limits only.</summary>
    public static double Given(double modelDiameter, double imageDiameter) =>
        Math.Clamp(modelDiameter / imageDiameter, MinFactor, MaxFactor);

    /// <summary>1 for nuclei of a size the model learned; otherwise the factor that brings them to its median.</summary>
    public static double Factor(LearnedDiameters model, double imageDiameter) =>
        model.Covers(imageDiameter) ? 1.0 : Factor(model.Median, imageDiameter);

    public static double Factor(double modelDiameter, double imageDiameter)
    {
        double f = Given(modelDiameter, imageDiameter);
        return Close(f, 1.0) ? 1.0 : f;
    }

    /// <summary>True when two factors differ by less than <see cref="Tolerance"/> either way.</summary>
    public static bool Close(double a, double b) => a / b < Tolerance && b / a < Tolerance;
}
