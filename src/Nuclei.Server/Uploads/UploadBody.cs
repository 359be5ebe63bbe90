using Microsoft.AspNetCore.Http;
using Nuclei.Server.Sessions;

namespace Nuclei.Server.Uploads;

/// <summary>
/// An upload's name and bytes, their memory reserved in the sending session (and so in the server's budget for all
/// sessions) before the body is read and given back when disposed: many uploads at once wait for no one, but one
/// browser's bodies, being read or decoded, count in its session's budget with everything else it holds.
/// </summary>
internal sealed class UploadBody : IDisposable
{
    readonly Reservation reservation;

    UploadBody(string name, byte[] data, Reservation reservation)
    {
        Name = name; Data = data; this.reservation = reservation;
    }

    public string Name { get; }
    public byte[] Data { get; }

    /// <exception cref="TooLargeException">over <paramref name="maxBytes"/>, or over what the session has left (413)</exception>
    /// <exception cref="ServerBusyException">the server has no room for it now (503)</exception>
    public static async Task<UploadBody> ReadAsync(HttpRequest request, string name, long maxBytes, SessionStore session, CancellationToken cancel)
    {
        BodyReader.CheckDeclared(request, maxBytes, name);
        var reservation = session.Reserve(BodyReader.MostBytes(request, maxBytes), name);
        try { return new UploadBody(name, await BodyReader.ReadAsync(request, maxBytes, name, cancel), reservation); }
        catch { reservation.Dispose(); throw; }
    }

    public void Dispose() => reservation.Dispose();
}
