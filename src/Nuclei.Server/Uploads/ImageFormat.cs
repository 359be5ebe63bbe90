namespace Nuclei.Server.Uploads;

/// <summary>The encodings the page accepts, told apart by their first bytes (never by the file name).</summary>
internal enum ImageFormat { Png, Jpeg, Tiff }
