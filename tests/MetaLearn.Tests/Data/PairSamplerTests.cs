using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.Data;

public class PairSamplerTests
{
    /// <summary>A dataset whose input value encodes its index: 8 classes (ids 20..27) × 5 examples.</summary>
    private static InMemoryDataset Dataset(int perClass = 5)
    {
        int n = 8 * perClass;
        return new InMemoryDataset(Tensor.Arange(0, n).Reshape(n, 1), [.. Enumerable.Range(0, n).Select(i => 20 + (i / perClass))]);
    }

    private static int ClassOf(float value) => 20 + ((int)value / 5);

    [Fact]
    public void PairsAreBalancedAndLabelledRight()
    {
        var sampler = new PairSampler(Dataset(), supportPairs: 6, queryPairs: 10);
        var generator = new Generator(3);
        for (int t = 0; t < 40; t++)
        {
            var task = sampler.Sample(generator);
            foreach (var (set, count) in new[] { ((PairExamples)task.Support, 6), ((PairExamples)task.Query, 10) })
            {
                Assert.Equal(count, set.Count);
                Assert.Equal(count / 2, set.Same.Count(s => s));
                var first = set.Inputs.ToArray();
                var second = set.Second.ToArray();
                for (int i = 0; i < count; i++)
                {
                    Assert.NotEqual(first[i], second[i]);
                    Assert.Equal(set.Same[i], ClassOf(first[i]) == ClassOf(second[i]));
                    Assert.Contains(ClassOf(first[i]), task.Metadata.Classes!);
                }
            }
        }
    }

    [Fact]
    public void SamplersOverDisjointSplitsNeverShareAnExample()
    {
        var dataset = Dataset();
        var split = ClassSplit.Random(dataset.Classes, 0.5, 0.25, new Generator(9));
        var train = new PairSampler(dataset, 4, 4, split.Train);
        var test = new PairSampler(dataset, 4, 4, split.Test);
        var episodes = new FewShotSampler(dataset, 2, 1, 2, split.Validation);
        var generator = new Generator(1);
        var seen = new Dictionary<string, HashSet<int>> { ["train"] = [], ["test"] = [], ["validation"] = [] };
        for (int t = 0; t < 100; t++)
        {
            foreach (var (name, source) in new (string, ITaskSource)[] { ("train", train), ("test", test), ("validation", episodes) })
            {
                var task = source.Sample(generator);
                var values = task.Support.Inputs.ToArray().Concat(task.Query.Inputs.ToArray());
                if (task.Support is PairExamples p && task.Query is PairExamples q)
                {
                    values = values.Concat(p.Second.ToArray()).Concat(q.Second.ToArray());
                }

                seen[name].UnionWith(values.Select(v => (int)v));
            }
        }

        Assert.All(seen["train"], i => Assert.Contains(ClassOf(i), split.Train));
        Assert.All(seen["test"], i => Assert.Contains(ClassOf(i), split.Test));
        Assert.All(seen["validation"], i => Assert.Contains(ClassOf(i), split.Validation));
        Assert.Empty(seen["train"].Intersect(seen["test"]));
        Assert.Empty(seen["train"].Intersect(seen["validation"]));
        Assert.Equal(split.Train.Count * 5, seen["train"].Count);
    }

    [Fact]
    public void SameSeedGivesTheSamePairs()
    {
        var sampler = new PairSampler(Dataset(), 4, 2);
        var a = (PairExamples)sampler.Sample(new Generator(5)).Support;
        var b = (PairExamples)sampler.Sample(new Generator(5)).Support;
        Assert.Equal(a.Inputs.ToArray(), b.Inputs.ToArray());
        Assert.Equal(a.Second.ToArray(), b.Second.ToArray());
        Assert.Equal(a.Same, b.Same);
    }

    [Fact]
    public void GroupedNegativesStayInTheirGroupAndCoverIt()
    {
        // Classes 20-23 form group "a", 24-26 group "b", 27 is alone in "c" (its negatives fall back to any class).
        static string GroupOf(int c) => c < 24 ? "a" : c < 27 ? "b" : "c";
        var sampler = new PairSampler(Dataset(), 4, 40, groupOf: GroupOf);
        Assert.True(sampler.NegativesWithinGroup);
        var generator = new Generator(11);
        var partners = new Dictionary<int, HashSet<int>>();
        for (int t = 0; t < 200; t++)
        {
            var set = (PairExamples)sampler.Sample(generator).Query;
            Assert.Equal(20, set.Same.Count(s => s));
            var first = set.Inputs.ToArray();
            var second = set.Second.ToArray();
            for (int i = 0; i < set.Count; i++)
            {
                int c1 = ClassOf(first[i]), c2 = ClassOf(second[i]);
                Assert.Equal(set.Same[i], c1 == c2);
                if (!set.Same[i])
                {
                    Assert.True(c1 == 27 || GroupOf(c1) == GroupOf(c2), $"a different pair {c1}/{c2} crosses groups");
                    (partners.TryGetValue(c1, out var seen) ? seen : partners[c1] = []).Add(c2);
                }
            }
        }

        Assert.Equal([21, 22, 23], partners[20].Order());
        Assert.Equal([24, 25], partners[26].Order());
        Assert.True(partners[27].Count >= 5, "the lone class's negatives come from every other class");

        // Without a grouping, negatives cross groups.
        var free = (PairExamples)new PairSampler(Dataset(), 4, 200).Sample(new Generator(11)).Query;
        var freeFirst = free.Inputs.ToArray();
        var freeSecond = free.Second.ToArray();
        Assert.Contains(Enumerable.Range(0, free.Count), i => !free.Same[i] && GroupOf(ClassOf(freeFirst[i])) != GroupOf(ClassOf(freeSecond[i])));
    }

    public static TheoryData<string, Action> BadInputs => new()
    {
        { "supportPairs", () => _ = new PairSampler(Dataset(), 3, 2) },
        { "queryPairs", () => _ = new PairSampler(Dataset(), 2, 0) },
        { "classes", () => _ = new PairSampler(Dataset(), 2, 2, [20]) },
        { "classes", () => _ = new PairSampler(Dataset(), 2, 2, [20, 20]) },
        { "dataset", () => _ = new PairSampler(Dataset(perClass: 1), 2, 2) },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadSettingsNameTheArgument(string parameter, Action create)
    {
        var error = Assert.ThrowsAny<ArgumentException>(create);
        Assert.Equal(parameter, error.ParamName);
    }
}
