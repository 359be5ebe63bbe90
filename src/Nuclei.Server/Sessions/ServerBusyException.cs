using Nuclei.Core;

namespace Nuclei.Server.Sessions;

/// <summary>
/// The server as a whole has no room now (memory of all sessions together, or sessions): HTTP 503, to try again
/// later. Not the client's mistake, so not a 4xx; not a failure either, so not a 500.
/// </summary>
internal sealed class ServerBusyException(string? name, string problem) : NucleiInputException(name, problem);
