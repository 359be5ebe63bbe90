using Nuclei.Core;

namespace Nuclei.Server.Uploads;

/// <summary>An upload over a size limit (bytes, pixels or the session's memory): HTTP 413.</summary>
internal class TooLargeException(string? name, string problem) : NucleiInputException(name, problem);
