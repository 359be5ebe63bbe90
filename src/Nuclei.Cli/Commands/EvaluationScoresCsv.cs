using System.Globalization;
using Nuclei.Core.IO;
using Nuclei.Core.Metrics;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The CSV `nuclei evaluate --scores FILE` writes: a row per 2D image, then a row per 3D label stack. A stack's row
/// holds its 3D scores in the 2D columns (nuclei matched by IoU over voxels; pixel_iou over voxels) and two more
/// columns, its z planes and the mean over them of the 2D mean AP; 2D rows leave those empty. Without stacks the two
/// columns are left out, so the file of a 2D evaluation is as it always was.
/// </summary>
static class EvaluationScoresCsv
{
    static readonly string[] ImageColumns = ["image", "mean_ap", "ap_50", "f1_50", "true_objects", "predicted_objects", "pixel_iou"];
    static readonly string[] StackColumns = ["planes", "mean_ap_planes"];

    public static void Write(string path, Evaluation result)
    {
        bool stacks = result.Stacks.Count > 0;
        var blanks = stacks ? new string?[StackColumns.Length] : [];
        var images = result.Images.Select(r => Row(r.Id, r.Score, r.Pixels).Concat(blanks).ToList());
        var stackRows = result.Stacks.Select(s => Row(s.Id, s.Volume, s.Voxels)
            .Append(s.Depth.ToString(CultureInfo.InvariantCulture)).Append(F6(s.Planes.MeanAp)).ToList());
        CsvTable.Write(path, stacks ? [.. ImageColumns, .. StackColumns] : ImageColumns, images.Concat(stackRows));
    }

    static IEnumerable<string?> Row(string id, ImageScore score, PixelOverlap pixels) =>
    [
        id, F6(score.MeanAp), F6(score.PerThreshold[0].Precision), F6(score.F1At50),
        score.TrueObjects.ToString(CultureInfo.InvariantCulture), score.PredictedObjects.ToString(CultureInfo.InvariantCulture), F6(pixels.Iou),
    ];

    static string F6(double v) => v.ToString("F6", CultureInfo.InvariantCulture);
}
