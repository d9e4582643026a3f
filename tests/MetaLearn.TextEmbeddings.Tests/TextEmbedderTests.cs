namespace MetaLearn.TextEmbeddings.Tests;

public class TextEmbedderTests
{
    [Fact]
    public void EachDistinctTextIsEmbeddedOnceAndRowsKeepTheInputOrder()
    {
        using var generator = new HashingEmbeddingGenerator();
        var embedder = new TextEmbedder(generator);
        var first = embedder.Embed(["turn on the lights", "play some jazz", "turn on the lights"]);
        Assert.Equal([3, HashingEmbeddingGenerator.Width], first.Shape.ToArray());
        Assert.Equal(2, generator.TextsSeen);
        Assert.Equal(first.Slice(0, 0, 1).ToArray(), first.Slice(0, 2, 3).ToArray());

        var again = embedder.Embed(["play some jazz", "set a timer"]);
        Assert.Equal(3, generator.TextsSeen);
        Assert.Equal(first.Slice(0, 1, 2).ToArray(), again.Slice(0, 0, 1).ToArray());
        Assert.Equal(HashingEmbeddingGenerator.Width, embedder.Dimensions);
        Assert.Throws<ArgumentException>(() => embedder.Embed(["fine", ""]));
        Assert.Throws<ArgumentException>(() => embedder.Embed([]));
    }

    [Fact]
    public void FewShotClassifierLearnsLabelsFromAFewExamples()
    {
        using var generator = new HashingEmbeddingGenerator();
        var classifier = new FewShotTextClassifier(new TextEmbedder(generator));
        classifier.Learn(
        [
            new("turn on the lights", "lights"), new("lights off in the kitchen", "lights"),
            new("play some jazz music", "music"), new("play my music playlist", "music"),
        ]);
        Assert.Equal(["lights", "music"], classifier.Labels);
        Assert.Equal(["lights", "music"], classifier.Classify(["turn the lights off", "play music"]));
        Assert.Throws<InvalidOperationException>(() => new FewShotTextClassifier(new TextEmbedder(generator)).Classify(["x"]));
    }

    [Fact]
    public void DatasetFileIsReadAndBadLinesAreNamed()
    {
        var data = TextDataset.Load(IntentData.Path());
        Assert.Equal(20, data.Labels.Count);
        Assert.Equal(240, data.Items.Count);
        Assert.All(data.Labels, label => Assert.Equal(12, data.Items.Count(i => i.Label == label)));

        var bad = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllLines(bad, ["# comment", "lights\tturn on the lights", "no tab here"]);
            var error = Assert.Throws<InvalidDataException>(() => TextDataset.Load(bad));
            Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bad);
        }
    }
}
