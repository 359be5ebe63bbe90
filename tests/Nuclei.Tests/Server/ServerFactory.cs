using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Nuclei.Cli.Commands;
using Nuclei.Server;
using Nuclei.Server.Engine;

namespace Nuclei.Tests.Server;

/// <summary>The server of <c>nuclei serve</c> in memory (ASP.NET Core's TestServer), with the services and pipeline the command uses.</summary>
internal sealed class ServerFactory(ISegmentationEngine engine, ServerOptions? options = null) : WebApplicationFactory<ServeCommand>
{
    public ServerOptions Options { get; } = options ?? new ServerOptions();

    protected override IHostBuilder CreateHostBuilder() =>
        Host.CreateDefaultBuilder()
            // no configuration file watcher per test server: many of them would use up the user's inotify instances
            .ConfigureHostConfiguration(c => c.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]))
            .ConfigureWebHostDefaults(web => web
            .ConfigureServices(services => NucleiServer.AddServices(services, Options, engine))
            .Configure(NucleiServer.Configure));
}
