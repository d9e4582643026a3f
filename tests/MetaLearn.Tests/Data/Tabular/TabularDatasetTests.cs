using MetaLearn.Data;
using MetaLearn.Data.Tabular;
using MetaLearn.Tensors;
using MetaLearn.Tests.Shared;

namespace MetaLearn.Tests.Data.Tabular;

public class TabularDatasetTests
{
    private const string Flowers = """
        sepal,petal,class
        5.1, 1.4, setosa
        4.9,1.5,"setosa"
        7.0,4.7,versicolor

        6.4,4.5,versicolor
        6.3,6.0,"virginica, tall"
        5.8,5.1,"virginica, tall"
        """;

    private static TabularDataset Read(string text, TabularOptions? options = null) => TabularDataset.Read(new StringReader(text), options, "flowers.csv");

    [Fact]
    public void ReadsFeaturesAndClassesInOrdinalOrderSkippingBlankLines()
    {
        var data = Read(Flowers);
        Assert.Equal(6, data.Count);
        Assert.Equal(["sepal", "petal"], data.FeatureNames);
        Assert.Equal(["setosa", "versicolor", "virginica, tall"], data.ClassNames);
        Assert.Equal([0, 1, 2], data.Classes);
        Assert.Equal([2, 3], data.IndicesOf(1));
        var inputs = data.GetInputs([0, 4]);
        Assert.Equal([2, 2], inputs.Shape.ToArray());
        Assert.Equal([5.1f, 1.4f, 6.3f, 6.0f], inputs.AsSpan<float>().ToArray());
    }

    [Fact]
    public void TakesTheClassColumnByIndexAndFilesWithoutAHeader()
    {
        var first = Read("a;1;2\nb;3;4\n\"a;x\";5;6\n", new TabularOptions { HasHeader = false, Separator = ';', ClassColumnIndex = 0 });
        Assert.Equal(["a", "a;x", "b"], first.ClassNames);
        Assert.Equal(["column 2", "column 3"], first.FeatureNames);
        Assert.Equal([3f, 4f], first.GetInputs(first.IndicesOf(2)).AsSpan<float>().ToArray());

        var last = Read("1,2,\"say \"\"hi\"\"\"\n3,4,b\n", new TabularOptions { HasHeader = false });
        Assert.Equal(["b", "say \"hi\""], last.ClassNames);
        Assert.Equal([1f, 2f], last.GetInputs(last.IndicesOf(1)).AsSpan<float>().ToArray());
    }

    [Fact]
    public void FeedsAFewShotSampler()
    {
        var rows = Enumerable.Range(0, 40).Select(i => $"{i},{i * 0.5},class{i % 5}");
        var data = Read("x,y,label\n" + string.Join('\n', rows), new TabularOptions { ClassColumn = "label" });
        var task = new FewShotSampler(data, ways: 3, shots: 2, queries: 4).Sample(new Generator(3));
        var support = (ClassificationExamples)task.Support;
        Assert.Equal([6, 2], support.Inputs.Shape.ToArray());
        var values = support.Inputs.AsSpan<float>().ToArray();
        for (int r = 0; r < 6; r++)
        {
            Assert.Equal(values[2 * r] * 0.5f, values[(2 * r) + 1]); // each row stays whole
        }

        Assert.Equal(12, task.Query.Count);
    }

    [Fact]
    public void NamesTheFileLineAndColumnOfBadInput()
    {
        var ragged = Assert.Throws<InvalidDataException>(() => Read("a,b,class\n1,2,x\n1,x\n"));
        Assert.Contains("flowers.csv, line 3 has 2 fields; the first line has 3", ragged.Message, StringComparison.Ordinal);

        var text = Assert.Throws<InvalidDataException>(() => Read("a,b,class\n1,2,x\n1,two,y\n"));
        Assert.Contains("line 3, column 'b': 'two' is not a finite number", text.Message, StringComparison.Ordinal);

        var infinite = Assert.Throws<InvalidDataException>(() => Read("a,class\nInfinity,x\n"));
        Assert.Contains("'Infinity' is not a finite number", infinite.Message, StringComparison.Ordinal);

        var open = Assert.Throws<InvalidDataException>(() => Read("a,class\n1,\"x\n"));
        Assert.Contains("line 2: a quoted field is not closed", open.Message, StringComparison.Ordinal);

        Assert.Contains("is empty", Assert.Throws<InvalidDataException>(() => Read("\n\n")).Message, StringComparison.Ordinal);
        Assert.Contains("has a header and no rows", Assert.Throws<InvalidDataException>(() => Read("a,class\n")).Message, StringComparison.Ordinal);

        var column = Assert.Throws<ArgumentException>(() => Read("a,b,kind\n1,2,x\n"));
        Assert.Equal("options", column.ParamName);
        Assert.Contains("no column named 'class' (ClassColumn); its columns are 'a', 'b', 'kind'", column.Message, StringComparison.Ordinal);

        var index = Assert.Throws<ArgumentException>(() => Read("a,b\n1,2\n", new TabularOptions { ClassColumnIndex = 2 }));
        Assert.Contains("ClassColumnIndex 2 is outside the 2 columns", index.Message, StringComparison.Ordinal);

        Assert.Contains("at least one feature column", Assert.Throws<ArgumentException>(() => Read("class\nx\n")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANonexistentFileIsNamed()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-table-" + Guid.NewGuid().ToString("N") + ".csv");
        var error = Assert.Throws<FileNotFoundException>(() => TabularDataset.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadsAFile()
    {
        using var folder = new ScratchFolder();
        string path = folder.PathOf("flowers.csv");
        File.WriteAllText(path, Flowers);
        var data = TabularDataset.Load(path);
        Assert.Equal(6, data.Count);
        Assert.Equal(3, data.Classes.Count);
    }
}
