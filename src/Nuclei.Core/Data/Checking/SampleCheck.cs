using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data.Checking;

/// <summary>
/// What <see cref="SampleChecker"/> found in one image: its problems, whether it carries an alpha channel that is
/// fully opaque (harmless, noted only), how many masks (or label-map objects) it has, and the corrected label map
/// (null when the image cannot be used: unreadable, or no annotation).
/// </summary>
internal sealed record SampleCheck(AnnotatedSample Sample, IReadOnlyList<LabelProblem> Problems, bool OpaqueAlpha, int Masks, LabelImage? Fixed);
