using Nuclei.Core.Imaging;
using Nuclei.Core.Staining;
using OpenCvSharp;

namespace Nuclei.Core.Augmentation;

/// <summary>
/// Renders the nuclei of a label map as stained brightfield tissue, so that annotations of any modality (fluorescence
/// included) teach the look of H&amp;E or IHC slides. Stain densities are painted per pixel and turned into light by the
/// Beer–Lambert law as colour deconvolution models it (Ruifrok &amp; Johnston 2001, "Quantification of histochemical
/// staining by color deconvolution"): OD_rgb = Σ_s density_s · vector_s, I = I0 · 10^(−OD) (base-10 optical density,
/// as in that paper). Haematoxylin marks the nuclei (with chromatin texture and soft edges); eosin (H&amp;E) or a light
/// DAB (IHC, where some nuclei are DAB-positive) fills the background in low-frequency blobs, with optional patches of
/// bare glass; then blur, noise and JPEG re-encoding imitate the acquisition. Size-preserving, deterministic given the
/// Random, memory O(pixels). The labels are not changed.
/// </summary>
internal static class SyntheticStain
{
    // Stain vectors in RGB optical density: the rows of scikit-image's rgb_from_hed, as colour deconvolution uses them.
    static readonly double[] Haematoxylin = Row(0), Eosin = Row(1), Dab = Row(2);

    static double[] Row(int stain) => [StainSeparation.RgbFromHed[stain, 0], StainSeparation.RgbFromHed[stain, 1], StainSeparation.RgbFromHed[stain, 2]];
    const float Ln10 = 2.302585093f;

    /// <summary>A 3-channel 0..1 RGB image the size of <paramref name="labels"/>.</summary>
    /// <param name="source">the image the labels annotate (any channels, any range), or null; its intensity inside the
    /// nuclei becomes part of the chromatin texture (the brighter side of nuclei vs background = denser chromatin)</param>
    public static FloatImage Render(LabelImage labels, FloatImage? source, SyntheticStainOptions o, Random rng)
    {
        if (source is not null && (source.Height != labels.Height || source.Width != labels.Width))
            throw new ArgumentException($"image is {source.Height}x{source.Width} but labels are {labels.Height}x{labels.Width}");
        int h = labels.Height, w = labels.Width, n = h * w;
        var kind = o.Kind == SyntheticStainKind.Any ? (rng.Next(2) == 0 ? SyntheticStainKind.He : SyntheticStainKind.Ihc) : o.Kind;
        bool ihc = kind == SyntheticStainKind.Ihc;
        float[] vh = Perturb(Haematoxylin, o.VectorJitter, rng);
        float[] vc = Perturb(ihc ? Dab : Eosin, o.VectorJitter, rng);   // the counterstain (E) or the chromogen (DAB)

        // Nuclei: haematoxylin (DAB for the positive nuclei of an IHC image), denser at the rim when drawn so.
        float[] nucH = new float[n], nucC = new float[n];
        double level = Uniform(rng, o.NucleusDensityMin, o.NucleusDensityMax);
        double positiveShare = ihc ? Uniform(rng, 0, 0.6) : 0, dabLevel = Uniform(rng, 0.3, 1.0);
        double rim = rng.Next(2) == 0 ? Uniform(rng, 0.1, 0.4) : 0;
        // Nuclei of H&E slides take up some eosin too, which turns them from blue to the purple of real slides.
        double nuclearEosin = ihc ? 0 : Uniform(rng, o.NuclearEosinMin, o.NuclearEosinMax);
        ulong nucleusSeed = (ulong)rng.NextInt64();
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int p = y * w + x, l = labels.Data[p];
                if (l == 0) continue;
                // Per-nucleus draws hashed from the label (no table over label values).
                ulong r1 = Mix(nucleusSeed ^ ((ulong)(uint)l * 0x9E3779B97F4A7C15UL)), r2 = Mix(r1);
                float f = (float)(1 + (2 * Unit(r1) - 1) * o.NucleusVariation);
                if (rim > 0 && IsBoundary(labels, y, x, l)) f *= (float)(1 + rim);
                if (Unit(r2) < positiveShare) { nucC[p] = (float)dabLevel * f; nucH[p] = (float)level * f * 0.15f; }
                else { nucH[p] = (float)level * f; nucC[p] = (float)(level * nuclearEosin) * f; }
            }
        double edgeSigma = Uniform(rng, 0.5, 1.5);
        nucH = AppearanceTransforms.GaussianBlur(new FloatImage(h, w, 1, nucH), edgeSigma).Data;
        nucC = AppearanceTransforms.GaussianBlur(new FloatImage(h, w, 1, nucC), edgeSigma).Data;
        float[] texture = ChromatinTexture(labels, source, rng);
        for (int p = 0; p < n; p++) { nucH[p] *= texture[p]; nucC[p] *= texture[p]; }
        float[] cytoplasm = Cytoplasm(labels, o, rng);

        // Background: counterstain (eosin; light DAB for IHC) and a little haematoxylin in low-frequency blobs,
        // eosin with a finer fibrous grain; optionally bare glass where a very smooth noise is high.
        double bgLevel = ihc ? Uniform(rng, 0, 0.08) : Uniform(rng, o.BackgroundDensityMin, o.BackgroundDensityMax);
        double bgH = Uniform(rng, 0, 0.1), blobContrast = Uniform(rng, 0.2, 0.6), grain = Uniform(rng, 0, 0.15);
        float[] blobs = SmoothNoise(h, w, Uniform(rng, 10, 40), rng);
        float[] blobsH = SmoothNoise(h, w, Uniform(rng, 10, 40), rng);
        float[] fibres = SmoothNoise(h, w, Uniform(rng, 2, 5), rng);
        float[]? glass = rng.NextDouble() < o.GlassProbability ? SmoothNoise(h, w, Uniform(rng, 30, 80), rng) : null;
        float glassThreshold = (float)Uniform(rng, 0, 1.2);
        // The lamp: a slightly tinted white, 0.85..1 per channel.
        double white = Uniform(rng, 0.9, 1);
        float[] i0 = { (float)(white * (1 - Uniform(rng, 0, 0.055))), (float)(white * (1 - Uniform(rng, 0, 0.055))), (float)(white * (1 - Uniform(rng, 0, 0.055))) };

        var image = new FloatImage(h, w, 3);
        for (int p = 0; p < n; p++)
        {
            float tissue = glass is null ? 1 : 1 - 0.95f * Math.Clamp((glass[p] - glassThreshold) * 3, 0, 1);
            float c = nucC[p] + tissue * ((float)bgLevel * Math.Max(0, 1 + (float)blobContrast * blobs[p] + (float)grain * fibres[p]) + (ihc ? 0.3f : 1f) * cytoplasm[p]);
            float hx = nucH[p] + tissue * (float)bgH * Math.Max(0, 1 + (float)blobContrast * blobsH[p]);
            // Beer–Lambert: I = I0 · 10^(−OD).
            for (int k = 0; k < 3; k++) image.Data[p * 3 + k] = i0[k] * MathF.Exp(-Ln10 * (hx * vh[k] + c * vc[k]));
        }
        return Acquire(image, o, rng);
    }

    /// <summary>A stain vector with each component moved by U(−jitter, jitter) (kept positive), renormalised to length 1.</summary>
    static float[] Perturb(double[] v, double jitter, Random rng)
    {
        var r = new double[3];
        for (int k = 0; k < 3; k++) r[k] = Math.Max(0.01, v[k] + (rng.NextDouble() * 2 - 1) * jitter);
        double norm = Math.Sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
        return r.Select(x => (float)(x / norm)).ToArray();
    }

    /// <summary>
    /// Counterstain density of the cell bodies around the nuclei: a rim of irregular width (a share of the typical
    /// nucleus radius, modulated by smooth noise) at a density drawn per image, so that each nucleus sits in a cell as
    /// in tissue rather than on a uniform ground. Zero where there are no nuclei or none is drawn.
    /// </summary>
    static float[] Cytoplasm(LabelImage labels, SyntheticStainOptions o, Random rng)
    {
        int h = labels.Height, w = labels.Width, n = h * w;
        var cytoplasm = new float[n];
        double level = Uniform(rng, 0, o.CytoplasmDensityMax), widthShare = Uniform(rng, 0.3, 1.5);
        var background = new bool[n];
        int nucleusPixels = 0;
        var ids = new HashSet<int>();
        for (int p = 0; p < n; p++)
        {
            int l = labels.Data[p];
            background[p] = l == 0;
            if (l != 0) { nucleusPixels++; if (ids.Count < 100_000) ids.Add(l); }
        }
        if (level < 0.01 || nucleusPixels == 0 || nucleusPixels == n) return cytoplasm;
        double radius = Math.Sqrt(nucleusPixels / (double)ids.Count / Math.PI), width = Math.Max(1, widthShare * radius);
        float[] distance = PostProcessing.DistanceTransform.Euclidean(h, w, background);
        float[] wobble = SmoothNoise(h, w, Math.Max(2, radius), rng);
        for (int p = 0; p < n; p++)
        {
            if (!background[p]) continue;
            double edge = width * (1 + 0.4 * wobble[p]) - distance[p];
            cytoplasm[p] = (float)(level * Math.Clamp(edge / 1.5 + 0.5, 0, 1));
        }
        return cytoplasm;
    }

    /// <summary>Whether a nucleus pixel touches (4-neighbourhood) a pixel of another label or the background.</summary>
    static bool IsBoundary(LabelImage labels, int y, int x, int l) =>
        (y > 0 && labels[y - 1, x] != l) || (y < labels.Height - 1 && labels[y + 1, x] != l) ||
        (x > 0 && labels[y, x - 1] != l) || (x < labels.Width - 1 && labels[y, x + 1] != l);

    /// <summary>
    /// A positive multiplier of the nuclear density: smoothed noise at 1–3 px (chromatin granules), plus the source
    /// image's intensity standardised over the nuclei, signed so that the side nuclei are on (bright in fluorescence,
    /// dark in brightfield) means denser.
    /// </summary>
    static float[] ChromatinTexture(LabelImage labels, FloatImage? source, Random rng)
    {
        int n = labels.PixelCount;
        // Granules of 1.5-4 px at a modest contrast: stained nuclei look finely mottled, not speckled.
        double amount = Uniform(rng, 0.1, 0.35), sourceWeight = Uniform(rng, 0, 0.4);
        float[] t = SmoothNoise(labels.Height, labels.Width, Uniform(rng, 1.5, 4), rng);
        for (int p = 0; p < n; p++) t[p] = 1 + (float)amount * t[p];
        if (source is not null && sourceWeight > 0)
        {
            var lum = ColorTransforms.Luminance(source);
            double sumIn = 0, sumIn2 = 0, sumOut = 0; long nIn = 0;
            for (int p = 0; p < n; p++)
                if (labels.Data[p] != 0) { sumIn += lum[p]; sumIn2 += lum[p] * (double)lum[p]; nIn++; }
                else sumOut += lum[p];
            long nOut = n - nIn;
            if (nIn > 1)
            {
                double mean = sumIn / nIn, sd = Math.Sqrt(Math.Max(0, sumIn2 / nIn - mean * mean));
                double sign = nOut == 0 || mean >= sumOut / nOut ? 1 : -1;
                if (sd > 1e-6)
                    for (int p = 0; p < n; p++)
                        t[p] += (float)(sourceWeight * Math.Clamp(sign * (lum[p] - mean) / sd, -2.5, 2.5));
            }
        }
        for (int p = 0; p < n; p++) t[p] = Math.Clamp(t[p], 0.3f, 2f);
        return t;
    }

    /// <summary>
    /// Zero-mean, unit-variance noise correlated over about <paramref name="scale"/> px: Gaussian values on a grid that
    /// many px apart, interpolated bicubically (as <see cref="ElasticDistortion"/> builds its field).
    /// </summary>
    static unsafe float[] SmoothNoise(int h, int w, double scale, Random rng)
    {
        int gh = Math.Max(2, (int)Math.Ceiling(h / scale) + 1), gw = Math.Max(2, (int)Math.Ceiling(w / scale) + 1);
        var grid = new float[gh * gw];
        for (int i = 0; i < grid.Length; i++) grid[i] = (float)ElasticDistortion.Gaussian(rng);
        var field = new float[h * w];
        fixed (float* pg = grid, pf = field)
        {
            using var g = MatView.Over(pg, gh, gw, 1);
            using var f = MatView.Over(pf, h, w, 1);
            Cv2.Resize(g, f, new Size(w, h), 0, 0, InterpolationFlags.Cubic);
        }
        double sum = 0, sum2 = 0;
        foreach (float v in field) { sum += v; sum2 += v * (double)v; }
        double mean = sum / field.Length, sd = Math.Sqrt(Math.Max(0, sum2 / field.Length - mean * mean));
        float m = (float)mean, inv = sd > 1e-9 ? (float)(1 / sd) : 0;
        for (int i = 0; i < field.Length; i++) field[i] = (field[i] - m) * inv;
        return field;
    }

    /// <summary>The microscope and the file: Gaussian blur, Gaussian noise, clamping to 0..1 and sometimes JPEG re-encoding.</summary>
    static FloatImage Acquire(FloatImage image, SyntheticStainOptions o, Random rng)
    {
        double blur = Uniform(rng, 0, o.BlurSigmaMax), noise = Uniform(rng, 0, o.NoiseSigmaMax);
        var blurred = blur >= 0.3 ? AppearanceTransforms.GaussianBlur(image, blur) : image;
        var result = ColorTransforms.AddNoise(blurred, noise, 0, rng);
        if (rng.NextDouble() < o.JpegProbability)
            result = Jpeg(result, rng.Next(o.JpegQualityMin, o.JpegQualityMax + 1));
        return result;
    }

    static unsafe FloatImage Jpeg(FloatImage image, int quality)
    {
        using var bgr8 = new Mat(image.Height, image.Width, MatType.CV_8UC3);
        var dst = new Span<byte>((void*)bgr8.Data, image.Data.Length);
        for (int i = 0; i < dst.Length; i += 3)
            for (int k = 0; k < 3; k++) dst[i + k] = (byte)Math.Clamp(MathF.Round(image.Data[i + 2 - k] * 255f), 0, 255);
        if (!Cv2.ImEncode(".jpg", bgr8, out byte[] encoded, new[] { (int)ImwriteFlags.JpegQuality, quality }))
            throw new InvalidOperationException("OpenCV could not encode a JPEG");
        using var decoded = Cv2.ImDecode(encoded, ImreadModes.Color);
        var result = new FloatImage(image.Height, image.Width, 3);
        var bgr = new ReadOnlySpan<byte>((void*)decoded.Data, result.Data.Length);
        for (int i = 0; i < result.Data.Length; i += 3)
            for (int k = 0; k < 3; k++) result.Data[i + k] = bgr[i + 2 - k] / 255f;
        return result;
    }

    static double Uniform(Random rng, double min, double max) => min + rng.NextDouble() * (max - min);

    /// <summary>SplitMix64's finaliser (Steele, Lea &amp; Flood 2014): a well-mixed 64-bit hash.</summary>
    static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    static double Unit(ulong x) => (x >> 11) * (1.0 / (1UL << 53));
}
