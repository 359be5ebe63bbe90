using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nuclei.Server.Api;
using Nuclei.Server.Engine;
using Nuclei.Server.Sessions;

namespace Nuclei.Server;

/// <summary>
/// The web application of <c>nuclei serve</c>: its services (<see cref="AddServices"/>) and request pipeline
/// (<see cref="Configure"/>), shared by the command (<see cref="Create"/>) and the tests' WebApplicationFactory.
/// </summary>
internal static class NucleiServer
{
    public static void AddServices(IServiceCollection services, ServerOptions options, ISegmentationEngine engine)
    {
        services.AddSingleton(options);
        services.AddSingleton(engine);
        // One vocabulary with `nuclei ... --json`: snake_case names in every answer and request body.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = SnakeCaseJson.Options.PropertyNamingPolicy);
        services.AddSingleton(new SessionRegistry(options));
        services.AddSingleton<SegmentationQueue>();   // one for the server: predictions of all sessions wait in turn
        // the request's session (set by SessionCookie) and what the endpoints reach through it
        services.AddScoped<CurrentSession>();
        services.AddScoped(s => s.GetRequiredService<CurrentSession>().Session);
        services.AddScoped(s => s.GetRequiredService<Session>().Store);
        services.AddScoped(s => s.GetRequiredService<Session>().Jobs);
        services.AddScoped<SegmentationService>();
        services.AddSingleton<RequestGuard>();
        services.AddSingleton<SessionCookie>();
        services.AddRouting();
    }

    public static void Configure(IApplicationBuilder app)
    {
        app.Use(ErrorResponses.Handle);
        var guard = app.ApplicationServices.GetRequiredService<RequestGuard>();
        app.Use(guard.Handle);
        app.Use(app.ApplicationServices.GetRequiredService<SessionCookie>().Handle);
        app.UseRouting();
        app.UseEndpoints(Endpoints.Map);
    }

    /// <summary>The server of the command, listening on <see cref="ServerOptions.Host"/>:<see cref="ServerOptions.Port"/> (not started).</summary>
    public static WebApplication Create(ServerOptions options, ISegmentationEngine engine)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(NucleiServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes + 1; // our own check gives the clearer message
            if (options.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) k.ListenLocalhost(options.Port);
            else k.Listen(System.Net.IPAddress.Parse(options.Host.Trim('[', ']')), options.Port);
        });
        AddServices(builder.Services, options, engine);
        var app = builder.Build();
        Configure(app);
        return app;
    }
}
