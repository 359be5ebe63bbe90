using Nuclei.Core;
using Nuclei.Torch.Inference;

namespace Nuclei.Torch.Training;

/// <summary>
/// `train --folds K`: one normal training run per fold of a k-fold split (the folders <c>fold-1..K/{train,valid}</c>
/// that <c>data split --folds K</c> writes), one after the other into OUT/fold-1..K, then OUT/ensemble.nens listing
/// each fold's best checkpoint (its latest when it never validated), weight 1 each.
/// </summary>
internal static class FoldTraining
{
    public const string EnsembleFileName = "ensemble" + EnsembleDescription.Extension;

    public sealed record Result(IReadOnlyList<TrainingResult> Folds, string Ensemble);

    /// <summary>Whether <paramref name="dir"/> looks like a k-fold split (it has fold-1/).</summary>
    public static bool IsFoldSplit(string dir) => Directory.Exists(FoldDir(dir, 1));

    /// <summary>The fold folders of a k-fold split, checked: exactly <paramref name="folds"/> of them, each with train/ and valid/.</summary>
    public static IReadOnlyList<string> FoldFolders(string splitDir, int folds)
    {
        int found = 0;
        while (Directory.Exists(FoldDir(splitDir, found + 1))) found++;
        if (found != folds)
            throw new NucleiInputException(splitDir, $"holds {found} fold folder(s) (fold-1..fold-{found}), not the {folds} of --folds {folds}");
        var dirs = Enumerable.Range(1, folds).Select(k => FoldDir(splitDir, k)).ToList();
        foreach (string d in dirs)
            if (!Directory.Exists(Path.Combine(d, "train")) || !Directory.Exists(Path.Combine(d, "valid")))
                throw new NucleiInputException(d, "fold folder lacks train/ or valid/ (not a `data split --folds` output?)");
        return dirs;
    }

    /// <summary>
    /// Trains every fold (<paramref name="template"/> gives configuration, resume mode and test hooks; its data and output
    /// folders are replaced by each fold's), then writes the ensemble description. With --resume, the folds that already
    /// have a checkpoint continue from it and the others start; a finished fold is only reloaded.
    /// </summary>
    public static Result Run(IReadOnlyList<string> foldDataDirs, TrainingRequest template, ITrainingObserver observer)
    {
        var outDirs = Enumerable.Range(1, foldDataDirs.Count).Select(k => FoldDir(template.OutDir, k)).ToList();
        if (template.Resume == ResumeMode.Resume && outDirs.All(d => CheckpointPointer.Read(d) is null))
            throw new NucleiInputException(template.OutDir, "--resume given but no fold has a checkpoint to resume (no fold-K/current.json)");
        var results = new List<TrainingResult>();
        for (int k = 0; k < foldDataDirs.Count; k++)
        {
            observer.Info($"Fold {k + 1} of {foldDataDirs.Count}: {foldDataDirs[k]} -> {outDirs[k]}");
            var mode = template.Resume == ResumeMode.Resume && CheckpointPointer.Read(outDirs[k]) is null ? ResumeMode.Auto : template.Resume;
            results.Add(Trainer.Run(template with { DataDir = foldDataDirs[k], OutDir = outDirs[k], Resume = mode }, observer));
        }
        string ensemble = Path.Combine(template.OutDir, EnsembleFileName);
        EnsembleDescription.Write(ensemble, results.Select((r, k) => new ModelReference(MemberOf(r, outDirs[k]))).ToList());
        observer.Info($"Ensemble of {results.Count} folds: {ensemble}");
        return new Result(results, ensemble);
    }

    static string MemberOf(TrainingResult fold, string outDir) =>
        fold.BestCheckpoint ?? fold.CurrentCheckpoint ?? throw new NucleiInputException(outDir, "fold finished without a checkpoint");

    static string FoldDir(string root, int k) => Path.Combine(root, $"fold-{k}");
}
