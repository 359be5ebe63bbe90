using Nuclei.Core.Configuration;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Training;

namespace Nuclei.Tests.Training;

public class TrainingMixTests
{
    static List<TrainingItem> Items(string prefix, int n) =>
        Enumerable.Range(0, n).Select(i => new TrainingItem($"{prefix}{i}", new FloatImage(4, 4, 1), new LabelImage(4, 4), "all", "fluorescence")).ToList();

    static TrainingOptions Options(params string[] overrides) => TrainingOptions.FromConfiguration(ConfigurationLoader.Load(null, overrides));

    [Fact]
    public void Every_batch_draws_its_share_from_the_pseudo_labelled_images()
    {
        var real = Items("r", 30);
        var mix = new TrainingMix(real, Items("p", 7), Options("dataset.pseudo_ratio=0.25", "train.n_batch=4"));
        int[] order = mix.Order(1);
        Assert.Equal(40, order.Length);                                   // 30 annotated = 75 % of the epoch
        bool IsPseudo(int i) => mix.Items[i].Id.StartsWith('p');
        Assert.Equal(30, order.Count(i => !IsPseudo(i)));
        Assert.Equal(30, order.Where(i => !IsPseudo(i)).Distinct().Count()); // every annotated image once
        Assert.All(order.Chunk(4), batch => Assert.Equal(1, batch.Count(IsPseudo)));
        Assert.Equal(7, order.Where(IsPseudo).Distinct().Count());           // passes over all pseudo images before repeating
        Assert.Equal(order, mix.Order(1));
        Assert.NotEqual(order, mix.Order(2));
    }

    [Fact]
    public void A_fixed_epoch_size_is_shared_out_by_the_ratio()
    {
        var mix = new TrainingMix(Items("r", 5), Items("p", 50), Options("dataset.pseudo_ratio=0.5", "train.epoch_size=20"));
        int[] order = mix.Order(3);
        Assert.Equal(20, order.Length);
        Assert.Equal(10, order.Count(i => mix.Items[i].Id.StartsWith('p')));
    }

    [Fact]
    public void Without_pseudo_labels_the_order_is_the_plain_epoch_order()
    {
        var real = Items("r", 9);
        var opt = Options();
        Assert.Equal(TrainingData.EpochOrder(real, opt.BalanceGroups, opt.Seed, 2, opt.EpochSize, opt.BalancePower), new TrainingMix(real, [], opt).Order(2));
        Assert.Equal(TrainingData.EpochOrder(real, opt.BalanceGroups, opt.Seed, 2, opt.EpochSize, opt.BalancePower),
            new TrainingMix(real, Items("p", 3), Options("dataset.pseudo_ratio=0")).Order(2));
    }

    [Fact]
    public void A_ratio_of_one_or_more_is_refused()
    {
        var e = Assert.Throws<Nuclei.Core.NucleiInputException>(() => Options("dataset.pseudo_ratio=1"));
        Assert.Contains("pseudo_ratio", e.Message);
    }
}
