using Nuclei.Core.Settings;

namespace Nuclei.Server.Uploads;

/// <summary>
/// The server names a setting in its answers by the upload field that sets it (<c>channel</c>); one the page does not
/// offer, by the <c>nuclei serve</c> option that set it (<c>--max-megapixels</c>).
/// </summary>
internal static class ServerSettingNames
{
    public static readonly SettingNames Names = new(s => UploadFields.Fields.Contains(s) ? s.Name : "--" + s.Name);
}
