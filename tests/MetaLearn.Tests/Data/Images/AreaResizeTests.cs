using MetaLearn.Data.Images;

namespace MetaLearn.Tests.Data.Images;

public class AreaResizeTests
{
    private static float[] Resize(float[] source, int sourceSize, int size)
    {
        var result = new float[size * size];
        AreaResize.Resize(source, sourceSize, sourceSize, result, size, size);
        return result;
    }

    [Fact]
    public void HalvingAveragesTwoByTwoBlocks()
    {
        float[] source = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
        Assert.Equal([3.5f, 5.5f, 11.5f, 13.5f], Resize(source, 4, 2));
    }

    [Fact]
    public void ThreeToTwoWeighsThePixelsCutInHalfByHalf()
    {
        // Each output covers 1.5 × 1.5 inputs: weights 2/3 and 1/3 along each axis, e.g. out[0, 0] = (4·1 + 2·2 + 2·4 + 1·5) / 9.
        float[] source = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var result = Resize(source, 3, 2);
        float[] expected = [21f / 9, 33f / 9, 57f / 9, 69f / 9];
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], result[i], 5);
        }
    }

    [Fact]
    public void OmniglotScaleKeepsTheMeanAndTheRange()
    {
        var generator = new MetaLearn.Tensors.Generator(5);
        var source = new float[105 * 105];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = generator.NextDouble() < 0.2 ? 1 : 0;
        }

        var result = Resize(source, 105, 28);
        Assert.Equal(source.Average(), result.Average(), 5);
        Assert.All(result, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void WeightsOfEveryCellSumToOne()
    {
        foreach (var (inputs, outputs) in new[] { (105, 28), (28, 105), (7, 3), (3, 7), (5, 5) })
        {
            Assert.All(AreaResize.Weights(inputs, outputs), cell => Assert.Equal(1.0, cell.Weights.Sum(), 12));
        }
    }

    [Fact]
    public void QuarterTurnMatchesRot90()
    {
        float[] image = [1, 2, 3, 4];
        var turned = new float[4];
        // np.rot90([[1, 2], [3, 4]]) = [[2, 4], [1, 3]]; twice = [[4, 3], [2, 1]]; three times = [[3, 1], [4, 2]].
        float[][] expected = [[1, 2, 3, 4], [2, 4, 1, 3], [4, 3, 2, 1], [3, 1, 4, 2]];
        for (int turns = 0; turns < 4; turns++)
        {
            QuarterTurn.Rotate(image, turned, planes: 1, size: 2, turns);
            Assert.Equal(expected[turns], turned);
        }
    }
}
