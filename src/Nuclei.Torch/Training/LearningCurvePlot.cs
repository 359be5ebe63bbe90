using Nuclei.Core.IO;
using OpenCvSharp;

namespace Nuclei.Torch.Training;

/// <summary>
/// Draws the learning curve (training loss, training IoU and validation mean AP at the end of each epoch, against
/// wall-clock minutes of training: what a CPU budget buys) as a PNG with
/// OpenCV: loss on its own scale (left, red), IoU and mean AP on 0..1 (right, blue and green).
/// </summary>
internal static class LearningCurvePlot
{
    public static void Write(string path, IReadOnlyList<EpochRecord> rows)
    {
        const int W = 800, H = 480, L = 60, R = 60, T = 30, B = 50;
        using var img = new Mat(H, W, MatType.CV_8UC3, Scalar.White);
        int pw = W - L - R, ph = H - T - B;
        Cv2.Rectangle(img, new Point(L, T), new Point(L + pw, T + ph), Scalar.Black);
        if (rows.Count > 0)
        {
            double maxMinutes = Math.Max(1e-3, rows.Max(r => r.ElapsedSeconds) / 60);
            double maxLoss = Math.Max(1e-6, rows.Select(r => r.Loss).Where(double.IsFinite).DefaultIfEmpty(0).Max());
            int X(double minutes) => L + (int)(pw * minutes / maxMinutes);
            int Y(double v01) => T + ph - (int)(ph * Math.Clamp(v01, 0, 1));
            void Curve(Func<EpochRecord, double?> f, double scale, Scalar colour)
            {
                Point? prev = null;
                foreach (var r in rows)
                {
                    if (f(r) is not double v || !double.IsFinite(v)) continue;   // skipped epochs, detectors' IoU
                    var p = new Point(X(r.ElapsedSeconds / 60), Y(v / scale));
                    if (prev is Point q) Cv2.Line(img, q, p, colour, 2, LineTypes.AntiAlias);
                    Cv2.Circle(img, p, 3, colour, -1, LineTypes.AntiAlias);
                    prev = p;
                }
            }
            Curve(r => r.Loss, maxLoss, new Scalar(40, 40, 220));
            Curve(r => r.Iou, 1, new Scalar(220, 120, 40));
            Curve(r => r.ValidKindMeanAp, 1, new Scalar(40, 160, 40));
            for (int k = 0; k <= 4; k++)
            {
                int y = Y(k / 4.0);
                Cv2.Line(img, new Point(L - 4, y), new Point(L, y), Scalar.Black);
                Cv2.PutText(img, (maxLoss * k / 4).ToString("0.00"), new Point(5, y + 4), HersheyFonts.HersheySimplex, 0.4, new Scalar(40, 40, 220));
                Cv2.PutText(img, (k / 4.0).ToString("0.00"), new Point(L + pw + 6, y + 4), HersheyFonts.HersheySimplex, 0.4, Scalar.Black);
            }
            for (int m = 0; m <= maxMinutes; m += maxMinutes > 60 ? 15 : 5)
            {
                int x = X(m);
                Cv2.Line(img, new Point(x, T + ph), new Point(x, T + ph + 4), Scalar.Black);
                Cv2.PutText(img, m.ToString(), new Point(x - 8, T + ph + 18), HersheyFonts.HersheySimplex, 0.4, Scalar.Black);
            }
            Cv2.PutText(img, $"minutes of training (0..{maxMinutes:0}), {rows.Max(r => r.Epoch)} epochs", new Point(L + pw / 2 - 120, H - 15), HersheyFonts.HersheySimplex, 0.5, Scalar.Black);
        }
        Cv2.PutText(img, "train loss", new Point(L + 10, 20), HersheyFonts.HersheySimplex, 0.5, new Scalar(40, 40, 220));
        Cv2.PutText(img, "train IoU", new Point(L + 130, 20), HersheyFonts.HersheySimplex, 0.5, new Scalar(220, 120, 40));
        Cv2.PutText(img, "valid mean AP (mean over kinds)", new Point(L + 240, 20), HersheyFonts.HersheySimplex, 0.5, new Scalar(40, 160, 40));
        AtomicFile.Write(path, tmp => Cv2.ImWrite(tmp, img));
    }
}
