namespace Nuclei.Core.IO;

/// <summary>
/// An input image over one of the <see cref="ImageLimits"/>, refused from its headers before it is decoded (the
/// server answers 413). The message names the file, what it declares and the limit.
/// </summary>
public sealed class ImageLimitException(string? source, string problem) : NucleiInputException(source, problem);
