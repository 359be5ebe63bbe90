namespace Nuclei.Server.Sessions;

/// <summary>
/// That an image's labels are the user's, saved from the page's editor rather than the model's under some thresholds:
/// what a training set of corrections records of it.
/// </summary>
/// <param name="CountBefore">nuclei the model found (under the thresholds of the first save), before any edit</param>
/// <param name="SavedUtc">when the last correction was saved</param>
internal sealed record Correction(int CountBefore, DateTimeOffset SavedUtc);
