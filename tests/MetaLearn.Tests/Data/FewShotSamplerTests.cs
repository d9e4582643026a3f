using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.Data;

public class FewShotSamplerTests
{
    /// <summary>A dataset whose input value encodes its index, 6 classes (ids 10..15) × 8 examples.</summary>
    private static InMemoryDataset Dataset(int perClass = 8)
    {
        int n = 6 * perClass;
        var inputs = Tensor.Arange(0, n).Reshape(n, 1);
        var labels = Enumerable.Range(0, n).Select(i => 10 + (i / perClass)).ToArray();
        return new InMemoryDataset(inputs, labels);
    }

    [Fact]
    public void DrawsNWayKShotTasksWithRemappedLabelsAndNoRepeats()
    {
        var dataset = Dataset();
        var sampler = new FewShotSampler(dataset, ways: 3, shots: 2, queries: 3);
        var generator = new Generator(8);
        for (int t = 0; t < 50; t++)
        {
            var task = sampler.Sample(generator);
            Assert.Equal(6, task.Support.Count);
            Assert.Equal(9, task.Query.Count);
            Assert.Equal([0, 0, 1, 1, 2, 2], ((ClassificationExamples)task.Support).Labels);
            Assert.Equal([0, 0, 0, 1, 1, 1, 2, 2, 2], ((ClassificationExamples)task.Query).Labels);
            var classes = task.Metadata.Classes!;
            Assert.Equal(3, classes.Distinct().Count());

            var indices = task.Support.Inputs.ToArray().Concat(task.Query.Inputs.ToArray()).Select(v => (int)v).ToArray();
            Assert.Equal(indices.Length, indices.Distinct().Count());
            var labels = ((ClassificationExamples)task.Support).Labels.Concat(((ClassificationExamples)task.Query).Labels).ToArray();
            for (int i = 0; i < indices.Length; i++)
            {
                Assert.Equal(classes[labels[i]], 10 + (indices[i] / 8));
            }
        }
    }

    [Fact]
    public void SameSeedGivesTheSameTasks()
    {
        var sampler = new FewShotSampler(Dataset(), 4, 1, 2);
        var a = sampler.Sample(new Generator(3));
        var b = sampler.Sample(new Generator(3));
        Assert.Equal(a.Support.Inputs.ToArray(), b.Support.Inputs.ToArray());
        Assert.Equal(a.Query.Inputs.ToArray(), b.Query.Inputs.ToArray());
    }

    [Fact]
    public void EveryClassIsEventuallyDrawn()
    {
        var sampler = new FewShotSampler(Dataset(), 2, 1, 1);
        var generator = new Generator(1);
        var seen = new HashSet<int>();
        for (int t = 0; t < 100; t++)
        {
            seen.UnionWith(sampler.Sample(generator).Metadata.Classes!);
        }

        Assert.Equal(6, seen.Count);
    }

    [Fact]
    public void ClearErrorsForImpossibleTasks()
    {
        var tooFew = Assert.Throws<ArgumentException>(() => new FewShotSampler(Dataset(perClass: 3), 2, 2, 2));
        Assert.Contains("has 3 examples", tooFew.Message, StringComparison.Ordinal);
        var tooManyWays = Assert.Throws<ArgumentException>(() => new FewShotSampler(Dataset(), 7, 1, 1));
        Assert.Contains("at least 7 classes", tooManyWays.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new FewShotSampler(Dataset(), 2, 1, 1, [10, 10, 11]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FewShotSampler(Dataset(), 2, 0, 1));
    }

    [Fact]
    public void ClassSplitIsDisjointAndCoversEverything()
    {
        var classes = Enumerable.Range(0, 30).ToArray();
        var split = ClassSplit.Random(classes, 0.6, 0.2, new Generator(2));
        Assert.Equal(18, split.Train.Count);
        Assert.Equal(6, split.Validation.Count);
        Assert.Equal(6, split.Test.Count);
        Assert.Equal(classes, split.Train.Concat(split.Validation).Concat(split.Test).Order());
        Assert.Throws<ArgumentException>(() => ClassSplit.Random(classes, 0.9, 0.2, new Generator(2)));
    }

    [Fact]
    public void SineTasksFollowThePaperRanges()
    {
        var source = new SineTaskDistribution(10, 20);
        var generator = new Generator(5);
        for (int t = 0; t < 200; t++)
        {
            var task = source.Sample(generator);
            double amplitude = task.Metadata.Parameters["amplitude"];
            double phase = task.Metadata.Parameters["phase"];
            Assert.InRange(amplitude, 0.1, 5.0);
            Assert.InRange(phase, 0.0, Math.PI);
            var x = task.Query.Inputs.ToDoubleArray();
            var y = ((RegressionExamples)task.Query).Targets.ToDoubleArray();
            for (int i = 0; i < x.Length; i++)
            {
                Assert.InRange(x[i], -5.0, 5.0);
                Assert.True(Math.Abs((amplitude * Math.Sin(x[i] - phase)) - y[i]) < 1e-5, $"x={x[i]} y={y[i]}");
            }
        }
    }
}
