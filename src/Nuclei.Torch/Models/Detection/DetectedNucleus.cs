namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// One detected nucleus in image pixels: its box (x1, y1, x2, y2), score, and mask probabilities on a
/// <see cref="MaskSize"/> × <see cref="MaskSize"/> grid over the box (row-major).
/// </summary>
internal sealed record DetectedNucleus(float X1, float Y1, float X2, float Y2, float Score, float[] Mask, int MaskSize);
