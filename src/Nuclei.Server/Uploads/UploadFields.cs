using Microsoft.AspNetCore.Http;
using Nuclei.Core;
using Nuclei.Core.IO;
using Nuclei.Torch.Inference;

namespace Nuclei.Server.Uploads;

/// <summary>
/// The per-upload choices, query fields of the upload: <c>channel</c> and <c>z</c> parsed by <see cref="PlaneChoice.Parse"/>
/// as <c>nuclei segment --channel/--z</c> parses them (z: max or mean; one upload is one image), and <c>diameter</c>
/// parsed by <see cref="Torch.Inference.Diameter.Parse"/> as <c>--diameter</c> (or <c>none</c>: no rescaling, over the
/// server's default). An empty field counts as not given.
/// </summary>
public sealed record UploadFields(PlaneChoice Planes, Diameter? Diameter)
{
    public const string None = "none";

    /// <exception cref="NucleiInputException">a bad value, the message naming the field</exception>
    public static UploadFields Parse(IQueryCollection query, Diameter? defaultDiameter, string displayName)
    {
        string? Field(string name) => query[name].ToString() is { Length: > 0 } v ? v : null;
        try
        {
            var planes = PlaneChoice.Parse(Field("channel"), Field("z"), allowEach: false);
            string? diameter = Field("diameter");
            var d = diameter is null ? defaultDiameter
                : diameter.Trim().Equals(None, StringComparison.OrdinalIgnoreCase) ? null
                : Diameter.Parse(diameter, "diameter");
            return new UploadFields(planes, d);
        }
        catch (NucleiInputException e) { throw Renamed(e, displayName); }
    }

    /// <summary>
    /// <paramref name="e"/> for <paramref name="displayName"/>, its command-line option names (<c>--channel</c>, <c>--z</c>)
    /// replaced by the upload's field names: the parsing and reading messages are the CLI's, shared.
    /// </summary>
    public static NucleiInputException Renamed(NucleiInputException e, string displayName)
    {
        string problem = e.Problem.Replace("--channel", "channel").Replace("--z", "z").Replace("--diameter", "diameter");
        return e is ImageLimitException ? new ImageLimitException(displayName, problem) : new NucleiInputException(displayName, problem, e);
    }
}
