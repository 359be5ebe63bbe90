using Nuclei.Core.Imaging;

namespace Nuclei.Bench.Hostile;

/// <summary>
/// <c>hostile-corpus OUTDIR</c>: writes the hostile-file corpus that bench/hostile-corpus.sh runs every reader on:
/// OUTDIR/files/ (the files), OUTDIR/manifest.tsv (one line per file: what it is and what it lies about) and
/// OUTDIR/support/ (the control's image and true label map, which the runner pairs a label-map file with).
/// </summary>
public static class HostileCorpusCommand
{
    public static int Run(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: hostile-corpus OUTDIR   (OUTDIR must not exist yet)");
            return 2;
        }
        string root = args[0];
        if (Directory.Exists(root) || File.Exists(root))
        {
            Console.Error.WriteLine($"{root}: already exists; give a new folder");
            return 2;
        }
        string files = Path.Combine(root, "files"), support = Path.Combine(root, "support");
        Directory.CreateDirectory(files);
        Directory.CreateDirectory(support);
        ImageIO.WriteImage8(Path.Combine(support, "control.png"), ControlImages.Image());
        ImageIO.WriteLabels(Path.Combine(support, "control.labels.png"), ControlImages.Labels());

        var lines = new List<string> { CorpusEntry.Header };
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in HostileCorpus.Entries())
        {
            if (!keys.Add(entry.Key)) throw new InvalidOperationException($"two corpus files have the key {entry.Key}");
            try { entry.Create(Path.Combine(files, entry.FileName)); }
            catch (IOException e)
            {
                // a name this file system does not allow is left out, and said so
                Console.Error.WriteLine($"left out {entry.Key}: {e.Message}");
                continue;
            }
            lines.Add(entry.ManifestLine());
        }
        File.WriteAllLines(Path.Combine(root, "manifest.tsv"), lines);
        Console.WriteLine($"{lines.Count - 1} files in {files}, manifest {Path.Combine(root, "manifest.tsv")}");
        return 0;
    }
}
