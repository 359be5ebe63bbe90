using Nuclei.Server.Sessions;

namespace Nuclei.Server.Api;

/// <summary>A correction kept in the session, as <c>PUT /api/images/{id}/corrections</c> and <c>GET /api/training-set</c> give it (snake_case JSON).</summary>
/// <param name="CountBefore">nuclei the model found before any edit</param>
/// <param name="CountAfter">nuclei in the saved map</param>
internal sealed record CorrectionSummary(string ImageId, string Name, int Width, int Height, int CountBefore, int CountAfter, DateTimeOffset SavedUtc)
{
    public static CorrectionSummary Of(ImageEntry e, SessionResult r) =>
        new(e.Id, e.Name, e.Image.Width, e.Image.Height, r.Correction!.CountBefore, r.Nuclei.Count, r.Correction.SavedUtc);
}
