namespace Nuclei.Core.Data;

/// <summary>An image to process: its id (names the outputs, e.g. <c>DIR/&lt;id&gt;.png</c>) and its file.</summary>
public sealed record InputImage(string Id, string ImagePath);
