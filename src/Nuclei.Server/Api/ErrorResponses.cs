using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nuclei.Core;
using Nuclei.Core.IO;
using Nuclei.Server.Sessions;
using Nuclei.Server.Uploads;

namespace Nuclei.Server.Api;

/// <summary>
/// Every failure becomes a JSON <c>{"error": "..."}</c> with a 4xx status for the client's mistakes (a file that cannot
/// be read included, whatever the decoder threw), a 503 when the server has no room now (to try again later);
/// anything else is a 500 whose message names no internals (the details go to the server's log), never a stack trace.
/// </summary>
internal static class ErrorResponses
{
    public static async Task Handle(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the page went away (closed, or cancelled the upload): nobody is left to answer
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, message) = Classify(e);
            if (status >= 500)
                context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Nuclei.Server").LogError(e, "request {Path} failed", context.Request.Path);
            var cookie = context.Response.Headers.SetCookie;
            context.Response.Clear();
            context.Response.Headers.SetCookie = cookie; // a first request that fails still opens its session
            if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "10";
            await Write(context, status, message);
        }
    }

    public static Task Write(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = message });
    }

    static (int Status, string Message) Classify(Exception e) => e switch
    {
        TooLargeException or ImageLimitException => (StatusCodes.Status413PayloadTooLarge, ((NucleiInputException)e).MessageFor(ServerSettingNames.Names)),
        UnknownImageException or UnknownJobException => (StatusCodes.Status404NotFound, e.Message),
        UnsupportedUploadException => (StatusCodes.Status415UnsupportedMediaType, e.Message),
        ServerBusyException => (StatusCodes.Status503ServiceUnavailable, e.Message),
        CorrectedImageException => (StatusCodes.Status409Conflict, e.Message),
        NucleiInputException input => (StatusCodes.Status400BadRequest, input.MessageFor(ServerSettingNames.Names)),
        BadHttpRequestException b => (b.StatusCode, b.StatusCode == StatusCodes.Status413PayloadTooLarge ? "the upload is over the size limit" : b.Message),
        _ => (StatusCodes.Status500InternalServerError, "internal error while handling the request (details in the server's console)"),
    };
}
