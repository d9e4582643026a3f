using MetaLearn.Tensors;
using static MetaLearn.Tensors.Tests.TensorAssert;

namespace MetaLearn.Tensors.Tests;

/// <summary>Every binary op over many shape pairs, against a naive index-by-index reference (both operand orders, both dtypes).</summary>
public class BroadcastingTests
{
    public static TheoryData<int[], int[]> ShapePairs => new()
    {
        { [2, 3], [2, 3] },
        { [2, 3], [3] },
        { [2, 3], [2, 1] },
        { [2, 1, 3], [4, 1] },
        { [1], [2, 3] },
        { [], [2, 3] },
        { [], [] },
        { [3, 1, 1], [1, 4, 5] },
        { [1, 3, 1], [2, 1, 4] },
        { [2, 1], [1, 3] },
        { [5, 1], [1, 1] },
        { [2, 3, 1], [2, 3, 1] },
        { [0, 3], [3] },
        { [4, 1, 2, 1], [3, 1, 5] },
        { [1, 1, 7], [6, 1] },
    };

    private static readonly (string Name, Func<Tensor, Tensor, Tensor> Op, Func<double, double, double> Reference)[] Ops =
    [
        ("add", (a, b) => a + b, (x, y) => x + y),
        ("sub", (a, b) => a - b, (x, y) => x - y),
        ("mul", (a, b) => a * b, (x, y) => x * y),
        ("div", (a, b) => a / b, (x, y) => x / y),
        ("maximum", (a, b) => a.Maximum(b), Math.Max),
        ("minimum", (a, b) => a.Minimum(b), Math.Min),
    ];

    [Theory]
    [MemberData(nameof(ShapePairs))]
    public void MatchesNaiveReference(int[] shapeA, int[] shapeB)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            var a = TestData.AwayFromZero(1, shapeA, 0.5, 3).AsType(dtype);
            var b = TestData.AwayFromZero(2, shapeB, 0.5, 3).AsType(dtype);
            foreach (var (name, op, reference) in Ops)
            {
                Check(name, op(a, b), a, b, reference);
                Check(name + " swapped", op(b, a), b, a, reference);
            }
        }
    }

    private static void Check(string name, Tensor actual, Tensor a, Tensor b, Func<double, double, double> reference)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var shape = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            shape[d] = Math.Max(Dim(a, d, rank), Dim(b, d, rank));
            if (Dim(a, d, rank) == 0 || Dim(b, d, rank) == 0)
            {
                shape[d] = 0;
            }
        }

        int count = TestData.ShapeCount(shape);
        var expected = new double[count];
        var index = new int[rank];
        for (int flat = 0; flat < count; flat++)
        {
            int rest = flat;
            for (int d = rank - 1; d >= 0; d--)
            {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }

            expected[flat] = reference(At(a, index), At(b, index));
        }

        Assert.True(actual.DType == a.DType, name);
        Close(actual, shape, expected);
    }

    private static int Dim(Tensor t, int d, int rank) => d < rank - t.Rank ? 1 : t.Shape[d - (rank - t.Rank)];

    /// <summary>The element of <paramref name="t"/> that broadcasts to the output position <paramref name="index"/>.</summary>
    private static double At(Tensor t, int[] index)
    {
        var own = new int[t.Rank];
        for (int d = 0; d < t.Rank; d++)
        {
            int i = index[d + (index.Length - t.Rank)];
            own[d] = t.Shape[d] == 1 ? 0 : i;
        }

        return t.GetValue(own);
    }
}
