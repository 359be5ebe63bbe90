using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Nuclei.Server;
using Nuclei.Server.Engine;

namespace Nuclei.Tests.Server;

/// <summary>The server of <c>nuclei serve</c> in memory (ASP.NET Core's TestServer), with the pipeline the command uses.</summary>
public sealed class ServerFactory(ISegmentationEngine engine, ServerOptions? options = null) : WebApplicationFactory<ServerOptions>
{
    public ServerOptions Options { get; } = options ?? new ServerOptions();

    protected override IHostBuilder CreateHostBuilder() =>
        Host.CreateDefaultBuilder().ConfigureWebHostDefaults(web => web
            .ConfigureServices(services => NucleiServer.AddServices(services, Options, engine))
            .Configure(NucleiServer.Configure));
}
