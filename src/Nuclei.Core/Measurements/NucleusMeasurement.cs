namespace Nuclei.Core.Measurements;

/// <summary>
/// Size, shape and intensity of one nucleus, in pixels, as scikit-image's <c>regionprops</c> (0.19) and CellProfiler's
/// MeasureObjectSizeShape / MeasureObjectIntensity define them. Positions are (x = column, y = row), 0-based.
/// </summary>
/// <param name="Area">pixel count</param>
/// <param name="Perimeter">see <see cref="Measurements.Perimeter"/></param>
/// <param name="BoxX">bounding box: first column, first row, width and height in pixels</param>
/// <param name="EquivalentDiameter">diameter of the circle of the same area, √(4·area/π)</param>
/// <param name="MajorAxisLength">4·√λ₁ and 4·√λ₂, λ the eigenvalues of the inertia tensor (the ellipse with the same second moments)</param>
/// <param name="Orientation">angle in radians, −π/2..π/2, between the row (y) axis and the major axis (regionprops' convention)</param>
/// <param name="Eccentricity">√(1 − λ₂/λ₁): 0 for a circle, towards 1 for a line</param>
/// <param name="Solidity">area / convex hull area (see <see cref="ConvexArea"/>)</param>
/// <param name="Extent">area / bounding-box area</param>
/// <param name="Circularity">CellProfiler's FormFactor, 4π·area/perimeter²</param>
/// <param name="TouchesBorder">some pixel lies on the first or last row or column of the image</param>
/// <param name="Intensity">one entry per image channel</param>
public sealed record NucleusMeasurement(
    int Label, int Area, double Perimeter, double CentroidX, double CentroidY,
    int BoxX, int BoxY, int BoxWidth, int BoxHeight,
    double EquivalentDiameter, double MajorAxisLength, double MinorAxisLength, double Orientation,
    double Eccentricity, double Solidity, double Extent, double Circularity, bool TouchesBorder,
    IReadOnlyList<IntensityMeasurement> Intensity);

/// <summary>Statistics of one channel's values over a nucleus' pixels (std is the population one, as NumPy's default).</summary>
public sealed record IntensityMeasurement(double Mean, double Median, double Min, double Max, double Std, double Integrated);
