using Microsoft.AspNetCore.Http;
using Nuclei.Core;
using Nuclei.Core.IO;
using Nuclei.Core.Settings;
using Nuclei.Torch.Inference;

namespace Nuclei.Server.Uploads;

/// <summary>
/// The per-upload choices, query fields of the upload: <c>channel</c> and <c>z</c> parsed by <see cref="PlaneChoice.Parse"/>
/// as <c>nuclei segment --channel/--z</c> parses them (z: max or mean; one upload is one image), and <c>diameter</c>
/// parsed by <see cref="Torch.Inference.Diameter.Parse"/> as <c>--diameter</c> (or <c>none</c>: no rescaling, over the
/// server's default). An empty field counts as not given.
/// </summary>
internal sealed record UploadFields(PlaneChoice Planes, Diameter? Diameter)
{
    public const string None = "none";

    /// <summary>The settings an upload may carry, each a query field named <see cref="Setting.Name"/>.</summary>
    public static readonly IReadOnlyList<Setting> Fields = [Setting.Channel, Setting.Z, Setting.Diameter];

    /// <exception cref="NucleiInputException">a bad value, the message naming the field</exception>
    public static UploadFields Parse(IQueryCollection query, Diameter? defaultDiameter, string displayName)
    {
        string? Field(string name) => query[name].ToString() is { Length: > 0 } v ? v : null;
        try
        {
            var planes = PlaneChoice.Parse(Field(Setting.Channel.Name), Field(Setting.Z.Name), allowEach: false);
            string? diameter = Field(Setting.Diameter.Name);
            var d = diameter is null ? defaultDiameter
                : diameter.Trim().Equals(None, StringComparison.OrdinalIgnoreCase) ? null
                : Diameter.Parse(diameter);
            return new UploadFields(planes, d);
        }
        catch (NucleiInputException e) { throw Renamed(e, displayName); }
    }

    /// <summary>
    /// <paramref name="e"/> for <paramref name="displayName"/>, its settings kept: the answer names them as the page
    /// does (<see cref="ServerSettingNames"/>).
    /// </summary>
    public static NucleiInputException Renamed(NucleiInputException e, string displayName) =>
        e is ImageLimitException ? new ImageLimitException(displayName, e.ProblemMessage) : new NucleiInputException(displayName, e.ProblemMessage, e);
}
