using MetaLearn.Metric;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.Metric;

public class ClassMeansTests
{
    [Fact]
    public void AveragesTheRowsOfEachClassWhateverTheirOrderAndCount()
    {
        var rows = Tensor.FromArray(new double[] { 1, 2, 10, 20, 3, 4, 5, 6 }, 4, 2);
        var means = ClassMeans.Of(rows, [0, 1, 0, 0], 2);
        Assert.Equal([3.0, 4.0, 10.0, 20.0], means.ToDoubleArray());
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var rows = Tensor.RandomNormal(new Generator(2), [5, 3], dtype: DType.Float64);
        Assert.True(MetaLearn.Tensors.Autodiff.GradientChecker.Check(x => ClassMeans.Of(x[0], [2, 0, 1, 0, 2], 3), [rows]).Passed);
    }

    public static TheoryData<string, Action> BadInputs => new()
    {
        { "labels", () => ClassMeans.Matrix([0, 2], 2, DType.Float32) },
        { "labels", () => ClassMeans.Matrix([0, 0], 2, DType.Float32) },
        { "labels", () => ClassMeans.Matrix([], 1, DType.Float32) },
        { "rows", () => ClassMeans.Of(Tensor.Zeros(3, 2), [0, 1], 2) },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputsNameTheArgument(string parameter, Action call)
    {
        var error = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(parameter, error.ParamName);
    }
}
