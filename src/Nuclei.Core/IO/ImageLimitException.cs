using Nuclei.Core.Settings;

namespace Nuclei.Core.IO;

/// <summary>
/// An input image over one of the <see cref="ImageLimits"/>, refused from its headers before it is decoded (the
/// server answers 413). The message names the file, what it declares and the limit.
/// </summary>
internal sealed class ImageLimitException : NucleiInputException
{
    public ImageLimitException(string? source, string problem) : base(source, problem) { }

    public ImageLimitException(string? source, SettingMessage problem) : base(source, problem) { }

    public ImageLimitException(string? source, ref SettingMessageHandler problem) : base(source, ref problem) { }
}
