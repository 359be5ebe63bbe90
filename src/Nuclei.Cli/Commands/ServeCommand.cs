using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Nuclei.Core;
using Nuclei.Core.PostProcessing;
using Nuclei.Server;
using Nuclei.Server.Engine;

namespace Nuclei.Cli.Commands;

/// <summary>
/// `nuclei serve`: a local web page to segment images, inspect the nuclei, change thresholds and download the results.
/// The model is loaded as `nuclei segment` loads it, so the page counts what `segment` counts. Not static only so
/// that tests can name the program's assembly (ASP.NET Core's WebApplicationFactory needs a type of the entry-point assembly).
/// </summary>
internal sealed class ServeCommand
{
    ServeCommand() { }

    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port (0: any free port)", DefaultValueFactory = _ => ServerOptions.DefaultPort };
        var host = new Option<string>("--host") { Description = "address to listen on; anything but loopback prints a warning and requires an access token", DefaultValueFactory = _ => ServerOptions.DefaultHost };
        var models = new Option<string[]>("--model")
        {
            Description = "checkpoint to use; repeat for an ensemble. Default: the bundled models/default.nck or $NUCLEI_MODEL",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var weights = new Option<string?>("--weights") { Description = "ensemble weights, one per --model, comma separated" };
        var tta = new Option<bool>("--tta") { Description = "test-time augmentation (8 flips/rotations, about 8x slower)" };
        var post = new PostProcessingCommandOptions(_ => "default from the model's configuration");   // thresholds: set on the page
        var mode = new Option<string?>("--mode") { Description = "auto (default), resize, pad or tile (as in segment)" };
        var precision = new Option<string?>("--precision") { Description = "fp32 (default), bf16 or auto (as in segment)" };
        var runtime = new Option<string?>("--runtime") { Description = "torch (default) or onnx (ONNX Runtime; as in segment)" };
        var device = new Option<string?>("--device") { Description = "auto (default: the GPU with --runtime onnx in a GPU build, else the CPU), cpu or cuda (as in segment)" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads, and ONNX Runtime's with --runtime onnx (0 = one per core)", DefaultValueFactory = _ => 0 };
        var maxUpload = new Option<int>("--max-upload-mb") { Description = "largest upload accepted, in MB", DefaultValueFactory = _ => ServerOptions.DefaultMaxUploadMb };
        var maxPixels = new Option<int>("--max-megapixels") { Description = "largest image accepted, in millions of pixels", DefaultValueFactory = _ => ServerOptions.DefaultMaxMegapixels };
        var diameter = new Option<string?>("--diameter") { Description = "nucleus diameter in pixels, or auto (as in segment): the default for uploads, each of which may give its own" };
        var stain = new Option<string?>("--stain") { Description = "what the network is shown of each upload: none (default), he, ihc, grey or auto (as in segment)" };
        var sessionMb = new Option<int>("--session-mb") { Description = "memory one browser's session may hold, in MB (all sessions together: 4 times this)", DefaultValueFactory = _ => ServerOptions.DefaultSessionMb };

        var command = new Command("serve", "A local web page: drop images, see the nuclei over them, change thresholds, download labels, measurements and exports");
        Option[] options = [port, host, models, weights, tta, .. post.Splitting, post.ExcludeOnEdges, mode, precision, runtime, device, diameter, stain, threads, maxUpload, maxPixels, sessionMb];
        foreach (var o in options) command.Options.Add(o);
        command.SetAction(parse =>
        {
            // the library's options read with the words `segment` accepts (the classical method has nothing to show on the page)
            var segmenter = new SegmenterOptions
            {
                Models = parse.GetValue(models) ?? [],
                Weights = SegmenterOptionText.Weights(parse.GetValue(weights)),
                Tta = parse.GetValue(tta),
                Precision = SegmenterOptionText.Precision(parse.GetValue(precision)),
                Runtime = SegmenterOptionText.Runtime(parse.GetValue(runtime)),
                Device = SegmenterOptionText.Device(parse.GetValue(device)),
                Mode = SegmenterOptionText.Mode(parse.GetValue(mode)),
                Stain = SegmenterOptionText.Stain(parse.GetValue(stain)),
                ExcludeOnEdges = parse.GetValue(post.ExcludeOnEdges),
                PostProcessing = post.Read(parse),   // the splitting options: serve has no others
            };
            var limits = new ServerOptions(parse.GetValue(host) ?? ServerOptions.DefaultHost, parse.GetValue(port),
                MaxUploadBytes: Positive(parse.GetValue(maxUpload), "--max-upload-mb") << 20,
                MaxPixels: Positive(parse.GetValue(maxPixels), "--max-megapixels") * 1_000_000L,
                MaxSessionBytes: Positive(parse.GetValue(sessionMb), "--session-mb") << 20,
                DefaultDiameter: Nuclei.Torch.Inference.Diameter.Parse(parse.GetValue(diameter)))
            {
                CommandLine = ["nuclei", .. Nuclei.Cli.CommandLine.Arguments],
            };
            return Run(segmenter, parse.GetValue(threads), limits);
        });
        return command;
    }

    static long Positive(int value, string option) =>
        value > 0 ? value : throw new NucleiInputException(null, $"{option} must be positive, got {value}");

    static int Run(SegmenterOptions segmenterOptions, int threads, ServerOptions options)
    {
        if (options.Port is < 0 or > 65535) throw new NucleiInputException(null, $"--port must be within 0..65535, got {options.Port}");
        if (!options.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !System.Net.IPAddress.TryParse(options.Host.Trim('[', ']'), out _))
            throw new NucleiInputException(null, $"--host must be an IP address or localhost, got '{options.Host}'");
        if (!ServerOptions.IsLoopback(options.Host))
        {
            options = options with { AccessToken = ServerOptions.NewToken() };
            Console.Error.WriteLine($"warning: listening on {options.Host}, not only this machine: anyone who can reach it and has the token below can upload images and read results (plain HTTP, not encrypted).");
        }
        if (threads < 0) throw new NucleiInputException(null, $"--threads must be >= 0, got {threads}");
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);
        var segmenter = NucleiSegmenter.Load(segmenterOptions);
        if (segmenter.DeviceFallback is { } fallback) Console.Error.WriteLine(fallback);
        using var engine = new ModelEngine(segmenter);
        if (options.DefaultDiameter is not null && !engine.AcceptsDiameter)
            throw new NucleiInputException(null, "--diameter needs the model's training diameter, which this checkpoint does not record (retrain, or serve without --diameter)");
        var app = NucleiServer.Create(options, engine);
        app.Start();
        string url = app.Urls.First();
        if (options.AccessToken is not null) url = url.TrimEnd('/') + "/?token=" + options.AccessToken;
        Console.WriteLine($"nuclei serve: open {url}  (Ctrl+C to stop; images stay in memory and are lost when it stops)");
        app.WaitForShutdown();
        return 0;
    }
}
