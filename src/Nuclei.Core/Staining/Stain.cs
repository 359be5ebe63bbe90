using Nuclei.Core.Imaging;
using Nuclei.Core.Settings;

namespace Nuclei.Core.Staining;

/// <summary>
/// What the network is shown of an image (segment --stain): the image as it is, the haematoxylin density of a
/// stained brightfield slide (<see cref="StainSeparation.HaematoxylinImage"/>), or its luminance. H&amp;E and IHC are
/// separated alike (the H channel of the HED matrix); they are told apart so that outputs say what the image was taken for.
/// </summary>
public enum Stain
{
    /// <summary>The image as it is.</summary>
    None,
    /// <summary>Haematoxylin and eosin: the haematoxylin density, nuclei bright.</summary>
    He,
    /// <summary>Immunohistochemistry (haematoxylin counterstain, DAB): the haematoxylin density, nuclei bright.</summary>
    Ihc,
    /// <summary>Decided per image by <see cref="StainDetection.Of"/>; an image's result is never Auto.</summary>
    Auto,
    /// <summary>
    /// The luminance in every channel (<see cref="Augmentation.ColorTransforms.ToGray"/>): a stain's hue, which a model
    /// trained on other stains has never seen, is taken away and its brightness and texture kept. Never chosen by Auto.
    /// </summary>
    Grey,
}

/// <summary>The one place the stain names are read, <see cref="Stain.Auto"/> is settled per image and the image prepared.</summary>
internal static class Stains
{
    // in the enum's value order, so a name's index is its value
    static readonly string[] s_names = Enum.GetNames<Stain>().Select(n => n.ToLowerInvariant()).ToArray();

    public static IReadOnlyList<string> Names => s_names;

    /// <summary>
    /// The stain setting when none is given: none, the image as it is, for now. Which setting serves a model best is
    /// measured on held-out colour images (validation chooses); this default follows that measurement.
    /// </summary>
    public const Stain Default = Stain.None;

    /// <summary>
    /// auto, none, he, ihc or grey; anything else is a <see cref="NucleiInputException"/> naming <paramref name="setting"/>,
    /// kept a setting so that each front end names it its own way (a flag, a field).
    /// </summary>
    public static Stain Parse(string text, Setting setting)
    {
        int i = Array.IndexOf(s_names, text.Trim().ToLowerInvariant());
        return i >= 0 ? (Stain)i
            : throw new NucleiInputException(null, $"{setting} must be one of auto, none, he, ihc, grey, got '{UntrustedText.Clean(text)}'");
    }

    /// <summary>The lower-case name (none, he, ihc, auto, grey), as the command line and the --json summary write it.</summary>
    public static string Name(this Stain stain) => s_names[(int)stain];

    /// <summary>The stain an image is taken for: the setting, or with <see cref="Stain.Auto"/> what <see cref="StainDetection.Of"/> finds.</summary>
    public static Stain Resolve(Stain setting, FloatImage image) => setting == Stain.Auto ? StainDetection.Of(image) : setting;

    /// <summary>
    /// The image the network is given for a resolved stain: as it is for <see cref="Stain.None"/> (and a grey image for
    /// <see cref="Stain.Grey"/>), its luminance for <see cref="Stain.Grey"/>, else its haematoxylin picture. A stain
    /// separation asked for on an image without colour is an error naming <paramref name="source"/>.
    /// </summary>
    public static FloatImage Prepare(Stain stain, FloatImage image, string? source)
    {
        if (stain == Stain.Auto) throw new ArgumentException("resolve auto first (Stains.Resolve)");
        if (stain == Stain.None || (stain == Stain.Grey && image.Channels < 3)) return image;
        if (stain == Stain.Grey) return Augmentation.ColorTransforms.ToGray(image);
        if (image.Channels < 3)
            throw new NucleiInputException(source, $"{Setting.Stain} {stain.Name()} separates the stains of a colour (RGB) image, but this image has {image.Channels} channel(s); use {Setting.Stain} none or auto");
        return StainSeparation.HaematoxylinImage(image);
    }
}
