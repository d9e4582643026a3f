using MetaLearn.Tensors;

namespace MetaLearn.Tensors.Tests;

public class GeneratorTests
{
    [Fact]
    public void OutputIsPinnedForSeed42()
    {
        // xoshiro256** seeded through SplitMix64, reproduced by an independent script.
        var generator = new Generator(42);
        Assert.Equal(0x15780b2e0c2ec716UL, generator.NextUInt64());
        Assert.Equal(0x6104d9866d113a7eUL, generator.NextUInt64());
        Assert.Equal(0xae17533239e499a1UL, generator.NextUInt64());
        Assert.Equal(0x99ec5f36cb75f2b4UL, new Generator(0).NextUInt64());

        var doubles = new Generator(42);
        Assert.Equal(0.08386297105988216, doubles.NextDouble());
        Assert.Equal(0.3789802506626686, doubles.NextDouble());

        var normals = new Generator(42);
        Assert.Equal(-0.7262191382447857, normals.NextNormal());
        Assert.Equal(-0.21119691823195985, normals.NextNormal());
    }

    [Fact]
    public void SameSeedSameSequenceAndSplitIsIndependent()
    {
        var a = new Generator(123);
        var b = new Generator(123);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }

        var parent = new Generator(5);
        var child = parent.Split();
        Assert.NotEqual(parent.NextUInt64(), child.NextUInt64());
        Assert.Equal(new Generator(5).Split().NextUInt64(), new Generator(5).Split().NextUInt64());
    }

    [Fact]
    public void NextDoubleAndNextUniformStayInRange()
    {
        var generator = new Generator(9);
        double sum = 0;
        for (int i = 0; i < 100_000; i++)
        {
            double d = generator.NextDouble();
            Assert.True(d is >= 0 and < 1);
            sum += d;
            double u = generator.NextUniform(-2, 3);
            Assert.True(u is >= -2 and < 3);
        }

        Assert.InRange(sum / 100_000, 0.495, 0.505);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(1000)]
    public void NextIntIsInRangeAndRoughlyUniform(int bound)
    {
        var generator = new Generator((ulong)bound);
        int draws = 60_000;
        var counts = new int[Math.Min(bound, 10)];
        for (int i = 0; i < draws; i++)
        {
            int value = generator.NextInt(bound);
            Assert.InRange(value, 0, bound - 1);
            counts[value * counts.Length / bound]++;
        }

        // Each of the (at most 10) equal-width buckets holds about draws/buckets values; allow 5 standard deviations.
        double expected = (double)draws / counts.Length;
        double slack = 5 * Math.Sqrt(expected);
        Assert.All(counts, c => Assert.InRange(c, expected - slack, expected + slack));
    }

    [Theory]
    [InlineData(1_717_986_919)] // 0.4·2³²: each value has 2 or 3 preimages among 32-bit draws before rejection
    [InlineData(1_288_490_189)] // 0.3·2³²
    [InlineData(1_500_000_000)]
    [InlineData(int.MaxValue)]
    public void NextIntIsUnbiasedForLargeBounds(int bound)
    {
        // With a wrong rejection threshold, Lemire's method over-represents some residues by up to 50% for such bounds.
        var generator = new Generator(2024);
        const int Draws = 200_000;
        int lowerHalf = 0;
        int firstFifth = 0;
        for (int i = 0; i < Draws; i++)
        {
            int value = generator.NextInt(bound);
            Assert.InRange(value, 0, bound - 1);
            lowerHalf += value < bound / 2 ? 1 : 0;
            firstFifth += value < bound / 5 ? 1 : 0;
        }

        // Standard deviation of the fraction is about 0.0011; allow ~6.
        Assert.InRange((double)lowerHalf / Draws, 0.493, 0.507);
        Assert.InRange((double)firstFifth / Draws, 0.194, 0.206);
    }

    [Fact]
    public void NextNormalHasUnitMoments()
    {
        var generator = new Generator(42);
        const int N = 100_000;
        double sum = 0, sumSquares = 0, sumCubes = 0;
        int beyondTwo = 0;
        for (int i = 0; i < N; i++)
        {
            double z = generator.NextNormal();
            Assert.True(double.IsFinite(z));
            sum += z;
            sumSquares += z * z;
            sumCubes += z * z * z;
            beyondTwo += Math.Abs(z) > 2 ? 1 : 0;
        }

        double mean = sum / N;
        double std = Math.Sqrt((sumSquares / N) - (mean * mean));
        Assert.InRange(mean, -0.015, 0.015);
        Assert.InRange(std, 0.985, 1.015);
        Assert.InRange(sumCubes / N, -0.05, 0.05);
        Assert.InRange((double)beyondTwo / N, 0.0455 - 0.004, 0.0455 + 0.004); // P(|Z| > 2) = 4.55%
    }

    [Fact]
    public void ShuffleIsAPermutationAndDeterministic()
    {
        var items = Enumerable.Range(0, 50).ToArray();
        new Generator(3).Shuffle<int>(items);
        Assert.Equal(Enumerable.Range(0, 50), items.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), items);

        var again = Enumerable.Range(0, 50).ToArray();
        new Generator(3).Shuffle<int>(again);
        Assert.Equal(items, again);

        // Every position receives every value about equally often.
        var generator = new Generator(11);
        var firstSlot = new int[4];
        for (int i = 0; i < 8000; i++)
        {
            int[] small = [0, 1, 2, 3];
            generator.Shuffle<int>(small);
            firstSlot[small[0]]++;
        }

        Assert.All(firstSlot, c => Assert.InRange(c, 2000 - 200, 2000 + 200));
        new Generator(1).Shuffle(Span<int>.Empty);
    }

    public static TheoryData<double> SpecialLogArguments => new()
    {
        double.Epsilon, 1e-320, 1e-310, 2.2250738585072014e-308, 1e-300, 1e-10, 0.5, 0.7071067811865476, 0.99999999, 0.9999999999999999,
        1, 1.0000000000000002, 1.00000001, 1.4142135623730951, 1.5, 2, Math.E, 10, 1e10, 1e300, double.MaxValue,
    };

    [Theory]
    [MemberData(nameof(SpecialLogArguments))]
    public void PortableLogMatchesMathLogAtSpecialPoints(double x) => AssertLogClose(x);

    [Fact]
    public void PortableLogMatchesMathLogOverTheWholeRange()
    {
        var generator = new Generator(77);
        for (int i = 0; i < 20_000; i++)
        {
            // Log-uniform over normal and subnormal magnitudes, plus values crowded around 1 and the [√½, √2) boundaries.
            AssertLogClose(Math.Exp(generator.NextUniform(-744, 709.7)));
            AssertLogClose(1 + generator.NextUniform(-1e-3, 1e-3));
            AssertLogClose(Math.ScaleB(Math.Sqrt(2) * (1 + generator.NextUniform(-1e-6, 1e-6)), generator.NextInt(200) - 100));
        }

        for (long bits = 1; bits < 1L << 52; bits = (bits * 3) + 1)
        {
            AssertLogClose(BitConverter.Int64BitsToDouble(bits)); // subnormals
        }
    }

    private static void AssertLogClose(double x)
    {
        if (x <= 0)
        {
            return;
        }

        double expected = Math.Log(x);
        double actual = Generator.PortableLog(x);
        double error = Math.Abs(actual - expected);
        double ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
        Assert.True(error <= Math.Max(1e-15 * Math.Abs(expected), 2 * ulp), $"PortableLog({x:R}) = {actual:R}, Math.Log = {expected:R}");
    }
}
