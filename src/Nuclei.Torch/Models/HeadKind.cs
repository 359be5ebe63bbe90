namespace Nuclei.Torch.Models;

/// <summary>What one output channel of a <see cref="SegmentationNet"/> predicts.</summary>
internal enum HeadKind
{
    /// <summary>Nucleus body (foreground) probability.</summary>
    Semantic,
    /// <summary>Nucleus contour, or the boundary where nuclei touch (which target is up to the training config).</summary>
    Contour,
    /// <summary>Marker: nuclei shrunk so that touching ones separate; seeds for watershed / random walker.</summary>
    Marker,
}
