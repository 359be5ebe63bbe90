using System.CommandLine;
using System.Globalization;
using Nuclei.Core;
using Nuclei.Core.IO;

namespace Nuclei.Cli.Commands;

/// <summary>The options of <see cref="ImageLimits"/> a command that reads untrusted images takes: `--max-megapixels` and `--accept-truncated`.</summary>
internal sealed class ImageLimitCommandOptions
{
    readonly Option<int> maxMegapixels = new("--max-megapixels")
    {
        Description = string.Create(CultureInfo.InvariantCulture,
            $"largest image plane read, in millions of pixels: a larger one is refused from its header, before it is decoded (planes over {ImageLimits.DefaultMaxWholePixels / 1e6:0} megapixels are only read block-wise)"),
        DefaultValueFactory = _ => (int)(ImageLimits.DefaultMaxPixels / 1_000_000),
    };
    readonly Option<bool> acceptTruncated = new("--accept-truncated") { Description = "read images whose data ends before their header says (a cut copy or download; the missing part comes out blank) instead of failing them" };

    public void AddTo(Command command)
    {
        command.Options.Add(maxMegapixels);
        command.Options.Add(acceptTruncated);
    }

    /// <summary>The limits asked for, over the defaults; a limit below 1 is an input error.</summary>
    public ImageLimits Read(ParseResult parse)
    {
        int megapixels = parse.GetValue(maxMegapixels);
        if (megapixels < 1) throw new NucleiInputException(null, $"--max-megapixels must be at least 1, got {megapixels}");
        return ImageLimits.Default with { MaxPixels = megapixels * 1_000_000L, AcceptTruncated = parse.GetValue(acceptTruncated) };
    }
}
