using Nuclei.Core.Data.Describing;
using Nuclei.Torch.Training;

namespace Nuclei.Tests.Safety;

/// <summary>The dataset tools' CSVs quote and neutralise hostile ids like the other CSVs, and read back what they wrote.</summary>
public sealed class DataCsvEscapingTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-datacsv-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_categorised_csv_with_a_comma_and_a_formula_in_ids_reads_back_the_same_ids()
    {
        string path = Path.Combine(dir, "dataset.csv");
        var facts = new[]
        {
            new ImageFacts("a,b", 64, 64, "fluorescence", [10, 12, 14]),
            new ImageFacts("=HYPERLINK(\"x\")", 64, 64, "colour-bright", [20]),
        };

        CategoryCsv.Write(path, "my,set", facts);
        string text = File.ReadAllText(path);
        var csv = DatasetCsv.Load(path);

        Assert.Contains("\"a,b\"", text);
        Assert.Contains("'=HYPERLINK", text); // a spreadsheet shows it as text
        Assert.Equal("fluorescence", csv.Get("a,b", "major_category"));
        Assert.Equal("colour-bright-64x64", csv.Get("=HYPERLINK(\"x\")", "sub_category"));
        Assert.Equal("my,set", csv.Get("a,b", "source"));
        Assert.Equal("12", csv.Get("a,b", "median_area"));
    }
}
