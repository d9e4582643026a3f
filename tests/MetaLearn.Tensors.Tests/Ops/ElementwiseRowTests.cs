using System.Numerics;
using System.Reflection;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Ops;

namespace MetaLearn.Tensors.Tests.Ops;

/// <summary>
/// Every row of <see cref="UnaryOps"/> and <see cref="BinaryOps"/>, found by reflection, checked so that its forward and its rule
/// agree: the rule against central finite differences of the forward in float64 to second order, and a binary row's four span
/// forms against its scalar form. A new row fails here until it is given an input domain below.
/// </summary>
public class ElementwiseRowTests
{
    /// <summary>Where each unary row is smooth, and the constants c to check it with.</summary>
    private static readonly Dictionary<string, (double Low, double High, bool AwayFromZero, double[] Constants)> UnaryDomains = new()
    {
        ["Exp"] = (-2, 2, false, [0]),
        ["Log"] = (0.3, 3, false, [0]),
        ["Sqrt"] = (0.3, 3, false, [0]),
        ["Abs"] = (0.2, 2, true, [0]),
        ["Tanh"] = (-2, 2, false, [0]),
        ["Sigmoid"] = (-4, 4, false, [0]),
        ["Relu"] = (0.1, 2, true, [0]),
        ["LeakyRelu"] = (0.1, 2, true, [0.1, -0.5]),
        ["AddScalar"] = (-2, 2, false, [1.5, -0.25]),
        ["MultiplyScalar"] = (-2, 2, false, [3, -0.7]),

        // The exponents the forward special-cases (2, 1, −1, 0) and the general TensorPrimitives.Pow path.
        ["PowScalar"] = (0.5, 2, false, [2, 1, -1, 0, 3, -1.5, 0.5]),
    };

    /// <summary>Where each binary row is smooth (|b| bounded away from 0 for a quotient).</summary>
    private static readonly Dictionary<string, (double Low, double High, bool AwayFromZero)> BinaryDomains = new()
    {
        ["Add"] = (-2, 2, false),
        ["Subtract"] = (-2, 2, false),
        ["Multiply"] = (-2, 2, false),
        ["Divide"] = (0.5, 2, true),
        ["Maximum"] = (-2, 2, false),
        ["Minimum"] = (-2, 2, false),
    };

    /// <summary>Shapes that take each path of the broadcasting walk: both full, a scalar either side, and per row.</summary>
    private static readonly int[][][] BinaryShapes =
    [
        [[2, 3], [2, 3]],
        [[2, 3], []],
        [[], [2, 3]],
        [[2, 3], [3]],
        [[2, 3], [2, 1]],
        [[2, 1], [2, 3]],
        [[2, 1, 1], [3, 1]],
    ];

    public static TheoryData<string> UnaryRows => new(Rows(typeof(IUnaryOp)).Select(t => t.Name));

    public static TheoryData<string> BinaryRows => new(Rows(typeof(IBinaryOp)).Select(t => t.Name));

    [Fact]
    public void EveryDomainNamesARow()
    {
        Assert.Equal(UnaryDomains.Keys.Order(), Rows(typeof(IUnaryOp)).Select(t => t.Name).Order());
        Assert.Equal(BinaryDomains.Keys.Order(), Rows(typeof(IBinaryOp)).Select(t => t.Name).Order());
    }

    [Theory]
    [MemberData(nameof(UnaryRows))]
    public void UnaryRuleMatchesFiniteDifferences(string row)
    {
        Assert.True(UnaryDomains.TryGetValue(row, out var domain), $"Unary row {row} has no domain in {nameof(UnaryDomains)}.");
        var unary = GenericMethod(typeof(Elementwise), nameof(Elementwise.Unary), Row(typeof(IUnaryOp), row));
        foreach (double c in domain.Constants)
        {
            var x = Input(23, [2, 3], domain.Low, domain.High, domain.AwayFromZero);
            var result = GradientChecker.Check(v => (Tensor)unary.Invoke(null, [v[0], c])!, [x], order: 2);
            Assert.True(result.Passed, $"{row} (c = {c}): {result.Failure}");
        }
    }

    [Theory]
    [MemberData(nameof(BinaryRows))]
    public void BinaryRuleMatchesFiniteDifferences(string row)
    {
        Assert.True(BinaryDomains.TryGetValue(row, out var domain), $"Binary row {row} has no domain in {nameof(BinaryDomains)}.");
        var binary = GenericMethod(typeof(Elementwise), nameof(Elementwise.Binary), Row(typeof(IBinaryOp), row));
        foreach (var shapes in BinaryShapes)
        {
            var a = Input(29, shapes[0], domain.Low, domain.High, domain.AwayFromZero);
            var b = Input(31, shapes[1], domain.Low, domain.High, domain.AwayFromZero);
            var result = GradientChecker.Check(v => (Tensor)binary.Invoke(null, [v[0], v[1]])!, [a, b], order: 2);
            Assert.True(result.Passed, $"{row} {Shapes.Format(shapes[0])} with {Shapes.Format(shapes[1])}: {result.Failure}");
        }
    }

    [Theory]
    [MemberData(nameof(BinaryRows))]
    public void BinarySpanFormsMatchTheScalarForm(string row)
    {
        var type = Row(typeof(IBinaryOp), row);
        GenericMethod(typeof(ElementwiseRowTests), nameof(SpanFormsMatch), type, typeof(float)).Invoke(null, null);
        GenericMethod(typeof(ElementwiseRowTests), nameof(SpanFormsMatch), type, typeof(double)).Invoke(null, null);
    }

    private static void SpanFormsMatch<TOp, T>()
        where TOp : struct, IBinaryOp
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Operands in ±[0.5, 2], so a quotient is finite; x differs from y everywhere, so a swapped operand shows.
        T[] x = [.. new[] { 0.5, -1.25, 1.75, -0.625, 2, 1.125, -1.5 }.Select(T.CreateTruncating)];
        T[] y = [.. new[] { -1.5, 0.75, 1.25, 1.875, -0.5, -2, 0.875 }.Select(T.CreateTruncating)];
        var dst = new T[x.Length];

        TOp.VectorVector<T>(x, y, dst);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(TOp.Scalar(x[i], y[i]), dst[i]);
        }

        TOp.VectorScalar<T>(x, y[0], dst);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(TOp.Scalar(x[i], y[0]), dst[i]);
        }

        TOp.ScalarVector<T>(x[0], y, dst);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(TOp.Scalar(x[0], y[i]), dst[i]);
        }
    }

    private static Tensor Input(ulong seed, int[] shape, double low, double high, bool awayFromZero)
        => awayFromZero ? TestData.AwayFromZero(seed, shape, low, high) : TestData.Uniform(seed, shape, low, high);

    /// <summary>The row structs implementing <paramref name="contract"/> (the masks implement only the forward, so are not rows).</summary>
    private static IEnumerable<Type> Rows(Type contract)
        => typeof(Elementwise).Assembly.GetTypes().Where(t => t.IsValueType && contract.IsAssignableFrom(t));

    private static Type Row(Type contract, string name) => Rows(contract).Single(t => t.Name == name);

    private static MethodInfo GenericMethod(Type owner, string name, params Type[] typeArguments)
        => owner.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(typeArguments);
}
