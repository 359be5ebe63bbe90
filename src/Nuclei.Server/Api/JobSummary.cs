using Nuclei.Server.Sessions;

namespace Nuclei.Server.Api;

/// <summary>What <c>GET /api/jobs/{id}</c> says of a job.</summary>
/// <param name="State">queued, running, done, cancelled or failed</param>
/// <param name="Progress">fraction of the prediction done, 0..1</param>
/// <param name="ImageId">the session image, once done</param>
/// <param name="Error">why it failed or that it was cancelled</param>
internal sealed record JobSummary(string Id, string Name, string State, double Progress, string? ImageId, string? Error)
{
    public static JobSummary Of(SegmentationJob j)
    {
        var (state, progress, imageId, error) = j.Snapshot();
        return new(j.Id, j.Name, state.ToString().ToLowerInvariant(), progress, imageId, error);
    }
}
