using Nuclei.Core;

namespace Nuclei.Server.Sessions;

/// <summary>
/// A threshold change asked of an image whose labels are the user's saved corrections (HTTP 409): post-processing
/// again would throw the edits away, so they must be discarded first, on purpose.
/// </summary>
internal sealed class CorrectedImageException(string name)
    : NucleiInputException(name, "its labels are your saved corrections; discard them first to change the thresholds");
