using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.NN;

/// <summary>DropBlock's masks: how much they drop, that they drop squares, the scaling, evaluation mode and seeds.</summary>
public class DropBlockTests
{
    [Theory]
    [InlineData(0.1, 5)]
    [InlineData(0.25, 3)]
    [InlineData(0.2, 1)]
    public void DropsAboutTheRequestedFractionInSquaresAndKeepsTheMean(double probability, int blockSize)
    {
        var layer = new DropBlock(probability, blockSize, new Generator(3));
        var x = Tensor.Ones([8, 16, 24, 24], DType.Float64);
        var y = layer.Forward(x).ToDoubleArray();
        double dropped = y.Count(v => v == 0) / (double)y.Length;

        // Overlapping blocks and the border (where fewer blocks reach) make the covered fraction a little under p.
        Assert.InRange(dropped, probability * 0.7, probability * 1.1);
        double scale = y.Max();
        Assert.All(y, v => Assert.True(v == 0 || v == scale));
        Assert.Equal(1 / (1 - dropped), scale, 1e-12);
        Assert.Equal(1.0, y.Average(), 1e-12);

        // Every dropped pixel lies in a b×b square of dropped pixels (plain dropout's isolated zeros would not).
        for (int map = 0; map < 8 * 16; map++)
        {
            for (int i = 0; i < 24; i++)
            {
                for (int j = 0; j < 24; j++)
                {
                    if (y[(map * 576) + (i * 24) + j] == 0)
                    {
                        Assert.True(InDroppedSquare(y, map, i, j, blockSize), $"map {map}: ({i}, {j}) dropped alone");
                    }
                }
            }
        }
    }

    [Fact]
    public void IsTheIdentityInEvaluationAndSeededInTraining()
    {
        var x = Tensor.RandomNormal(new Generator(1), [2, 3, 10, 10]);
        var layer = new DropBlock(0.3, 3, new Generator(5));
        var first = layer.Forward(x).ToDoubleArray();
        Assert.Equal(first, new DropBlock(0.3, 3, new Generator(5)).Forward(x).ToDoubleArray());
        Assert.NotEqual(first, layer.Forward(x).ToDoubleArray());
        Assert.NotEqual(x.ToDoubleArray(), first);

        layer.Eval();
        Assert.Same(x, layer.Forward(x));
        Assert.Same(x, new DropBlock(0, 3, new Generator(1)).Forward(x));
        Assert.Equal(DType.Float32, new DropBlock(0.5, 2, new Generator(1)).Forward(x).DType);

        // A block larger than the map shrinks to it: whole 4×4 maps dropped or kept.
        var whole = new DropBlock(0.5, 7, new Generator(2)).Forward(Tensor.Ones([16, 1, 4, 4])).ToDoubleArray();
        Assert.All(whole.Chunk(16), m => Assert.Single(m.Distinct()));
        Assert.Contains(0.0, whole);
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        var g = new Generator(1);
        Assert.Equal("probability", Assert.Throws<ArgumentOutOfRangeException>(() => new DropBlock(1, 3, g)).ParamName);
        Assert.Equal("probability", Assert.Throws<ArgumentOutOfRangeException>(() => new DropBlock(double.NaN, 3, g)).ParamName);
        Assert.Equal("blockSize", Assert.Throws<ArgumentOutOfRangeException>(() => new DropBlock(0.1, 0, g)).ParamName);
        Assert.Equal("generator", Assert.Throws<ArgumentNullException>(() => new DropBlock(0.1, 3, null!)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => new DropBlock(0.1, 3, g).Forward(Tensor.Ones([2, 4]))).ParamName);
    }

    private static bool InDroppedSquare(double[] y, int map, int i, int j, int b)
    {
        for (int top = Math.Max(0, i - b + 1); top <= Math.Min(i, 24 - b); top++)
        {
            for (int left = Math.Max(0, j - b + 1); left <= Math.Min(j, 24 - b); left++)
            {
                bool all = true;
                for (int r = top; r < top + b && all; r++)
                {
                    for (int c = left; c < left + b && all; c++)
                    {
                        all = y[(map * 576) + (r * 24) + c] == 0;
                    }
                }

                if (all)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
