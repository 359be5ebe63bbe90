namespace Nuclei.Torch.Training;

/// <summary>
/// What an epoch draws from: the annotated training images and, when [dataset] pseudo_data is set, pseudo-labelled
/// ones making up [dataset] pseudo_ratio of the epoch, spread evenly over it so that every batch holds about that
/// share. <see cref="Items"/> lists the annotated items first, then the pseudo-labelled; <see cref="Order"/> indexes it.
/// Draws depend only on (seed, epoch), so a resumed run repeats them exactly.
/// </summary>
internal sealed class TrainingMix
{
    readonly IReadOnlyList<TrainingItem> _real;
    readonly int _pseudo;
    readonly double _ratio;
    readonly TrainingOptions _opt;

    public IReadOnlyList<TrainingItem> Items { get; }

    public TrainingMix(IReadOnlyList<TrainingItem> real, IReadOnlyList<TrainingItem> pseudo, TrainingOptions opt)
    {
        _real = real;
        _pseudo = pseudo.Count;
        _ratio = opt.PseudoRatio;
        _opt = opt;
        Items = real.Concat(pseudo).ToList();
    }

    /// <summary>The item order of one epoch (indices into <see cref="Items"/>).</summary>
    public int[] Order(int epoch)
    {
        if (_pseudo == 0 || _ratio == 0)
            return TrainingData.EpochOrder(_real, _opt.BalanceGroups, _opt.Seed, epoch, _opt.EpochSize, _opt.BalancePower);
        int total, pseudoCount;
        int[] real;
        if (_opt.EpochSize > 0)
        {
            total = _opt.EpochSize;
            pseudoCount = Math.Min(total - 1, (int)Math.Round(total * _ratio));   // at least one annotated image per epoch
            real = TrainingData.EpochOrder(_real, _opt.BalanceGroups, _opt.Seed, epoch, total - pseudoCount, _opt.BalancePower);
        }
        else
        {
            real = TrainingData.EpochOrder(_real, _opt.BalanceGroups, _opt.Seed, epoch, 0, _opt.BalancePower);
            total = (int)Math.Round(real.Length / (1 - _ratio));
            pseudoCount = total - real.Length;
        }
        return Interleave(real, PseudoDraws(epoch, pseudoCount), total);
    }

    /// <summary><paramref name="count"/> pseudo-labelled items: shuffled passes over all of them, offset into <see cref="Items"/>.</summary>
    int[] PseudoDraws(int epoch, int count)
    {
        var rng = new Random(SeedMix.Of(_opt.Seed, epoch, 0x95E0));
        var draws = new List<int>(count);
        while (draws.Count < count)
        {
            var pass = Enumerable.Range(_real.Count, _pseudo).ToArray();
            rng.Shuffle(pass);
            draws.AddRange(pass.Take(count - draws.Count));
        }
        return draws.ToArray();
    }

    /// <summary>Position i holds a pseudo item when ⌊(i+1)·P/N⌋ passes ⌊i·P/N⌋: exactly P of N, evenly spaced (Bresenham-style).</summary>
    static int[] Interleave(int[] real, int[] pseudo, int total)
    {
        var order = new int[total];
        int r = 0, p = 0;
        for (long i = 0; i < total; i++)
            order[i] = (i + 1) * pseudo.Length / total > i * pseudo.Length / total ? pseudo[p++] : real[r++];
        return order;
    }
}
