using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tests.Optim;

public class MetaCurvatureTests
{
    public static TheoryData<int[], int[][]> MatrixShapes => new()
    {
        { [5, 3], [[5, 5], [3, 3]] },
        { [4, 2, 3, 3], [[4, 4], [2, 2], [9, 9]] },
        { [2, 3, 5], [[2, 2], [3, 3], [5, 5]] },
        { [6], [[6, 6]] },
        { [], [[1, 1]] },
    };

    [Theory]
    [MemberData(nameof(MatrixShapes))]
    public void LinearConvAndBiasShapesGetOneSquareMatrixPerMode(int[] parameter, int[][] expected)
    {
        var curvature = CurvatureMatrices.Identity(parameter, DType.Float32);
        Assert.Equal(expected, curvature.Matrices.Select(m => m.Shape.ToArray()));
        Assert.Equal(parameter, curvature.ParameterShape.ToArray());
        Assert.Equal(parameter.Length >= 2, curvature.Input is not null);
        Assert.Equal(parameter.Length >= 3, curvature.Filter is not null);
        Assert.All(curvature.Matrices, m => Assert.Equal(DType.Float32, m.DType));
        var gradient = Tensor.RandomNormal(new Generator(1), parameter);
        Assert.Equal(gradient.ToArray(), curvature.Apply(gradient).ToArray());
    }

    [Theory]
    [InlineData(new[] { 3, 2, 2, 2 }, new int[0])]
    [InlineData(new[] { 3, 2, 2, 2 }, new[] { 2 })]
    [InlineData(new[] { 4, 3 }, new[] { 2 })]
    public void TheTransformIsTheThreeModeProduct(int[] parameter, int[] leading)
    {
        var generator = new Generator(5);
        var curvature = CurvatureMatrices.Identity(parameter, DType.Float64);
        foreach (var matrix in curvature.Matrices)
        {
            matrix.CopyFrom(Tensor.RandomNormal(generator, [.. matrix.Shape], dtype: DType.Float64));
        }

        var gradient = Tensor.RandomNormal(generator, [.. leading, .. parameter], dtype: DType.Float64);
        var actual = curvature.Apply(gradient);
        Assert.Equal(gradient.Shape.ToArray(), actual.Shape.ToArray());

        // Reference: out[b, a, j, e] = Σ_{o,i,f} M_o[a, o]·M_i[j, i]·M_f[e, f]·G[b, o, i, f], with loops.
        int o = parameter[0], n = parameter[1], f = parameter.Skip(2).Aggregate(1, (x, y) => x * y);
        int batch = gradient.Count / (o * n * f);
        double[] g = gradient.ToDoubleArray(), mo = curvature.Output.ToDoubleArray(), mi = curvature.Input!.ToDoubleArray();
        double[] mf = curvature.Filter?.ToDoubleArray() ?? [1];
        double[] result = actual.ToDoubleArray();
        for (int b = 0; b < batch; b++)
        {
            for (int a = 0; a < o; a++)
            {
                for (int j = 0; j < n; j++)
                {
                    for (int e = 0; e < f; e++)
                    {
                        double sum = 0;
                        for (int oo = 0; oo < o; oo++)
                        {
                            for (int ii = 0; ii < n; ii++)
                            {
                                for (int ff = 0; ff < f; ff++)
                                {
                                    sum += mo[(a * o) + oo] * mi[(j * n) + ii] * mf[(e * f) + ff] * g[(((((b * o) + oo) * n) + ii) * f) + ff];
                                }
                            }
                        }

                        Assert.Equal(sum, result[(((((b * o) + a) * n) + j) * f) + e], 1e-12);
                    }
                }
            }
        }
    }

    private static Tensor[] Leaves()
    {
        var parameters = DifferentiableOptimizerTests.InitialParameters();
        foreach (var p in parameters)
        {
            p.RequiresGrad = true;
        }

        return parameters;
    }

    private static MetaCurvature Curved(IDifferentiableOptimizer rule, IReadOnlyList<Tensor> parameters)
        => new(rule, [.. parameters.Select(p => (CurvatureMatrices?)CurvatureMatrices.Identity(p.Shape.AsSpan(), p.DType))]);

    [Fact]
    public void IdentityMatricesLeaveTheWrappedRuleAndItsSecondOrderGradientBitForBit()
    {
        var parameters = Leaves();
        var sgd = new DifferentiableSgd(0.3, momentum: 0.5);
        var plain = DifferentiableOptimizerTests.LossAfterSteps(sgd, parameters, 3);
        var curved = DifferentiableOptimizerTests.LossAfterSteps(Curved(sgd, parameters), parameters, 3);
        Assert.Equal(plain.Item(), curved.Item());
        var expected = Autograd.Grad(plain, parameters);
        var actual = Autograd.Grad(curved, parameters);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i]!.ToDoubleArray(), actual[i]!.ToDoubleArray());
        }
    }

    [Fact]
    public void TheLossAfterCurvedStepsPassesTheSecondOrderGradientCheck()
    {
        var parameters = Leaves();
        var rule = Curved(new DifferentiableSgd(0.3), parameters);
        var generator = new Generator(3);
        foreach (var matrix in rule.Matrices.SelectMany(m => m!.Matrices))
        {
            matrix.CopyFrom(matrix + Tensor.RandomNormal(generator, [.. matrix.Shape], std: 0.3, dtype: DType.Float64));
        }

        var result = GradientChecker.Check(x => DifferentiableOptimizerTests.LossAfterSteps(rule, x, 2), parameters, order: 2);
        Assert.True(result.Passed, result.Failure);
    }

    [Fact]
    public void TheStepUsesTheTransformedGradient()
    {
        var theta = Tensor.FromArray([1.0, 2.0], 2);
        var curvature = CurvatureMatrices.Identity([2], DType.Float64);
        curvature.Output.CopyFrom(Tensor.FromArray([0.0, 1.0, 2.0, 0.0], 2, 2));
        var rule = new MetaCurvature(new DifferentiableSgd(0.5), [curvature]);
        var (next, _) = rule.Step([theta], [Tensor.FromArray([3.0, 5.0], 2)], rule.Init([theta]));

        // MC(g) = [[0, 1], [2, 0]]·[3, 5] = [5, 6]; θ' = θ − 0.5·[5, 6].
        Assert.Equal([-1.5, -1.0], next[0].ToDoubleArray());
    }

    [Fact]
    public void BadInputIsRefusedWithTheArgumentNamed()
    {
        Assert.Equal("parameterShape", Assert.Throws<ArgumentException>(() => CurvatureMatrices.Identity([3, 0], DType.Float32)).ParamName);
        var curvature = CurvatureMatrices.Identity([3, 2], DType.Float32);
        var wrongShape = Assert.Throws<ArgumentException>(() => curvature.Apply(Tensor.Zeros(2, 3)));
        Assert.Equal("gradient", wrongShape.ParamName);
        Assert.Contains("[3, 2]", wrongShape.Message, StringComparison.Ordinal);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => curvature.Apply(Tensor.Zeros([3, 2], DType.Float64))).ParamName);

        var sgd = new DifferentiableSgd(0.1);
        Assert.Throws<ArgumentNullException>(() => new MetaCurvature(null!, [curvature]));
        Assert.Equal("matrices", Assert.Throws<ArgumentException>(() => new MetaCurvature(sgd, [null, null])).ParamName);
        var rule = new MetaCurvature(sgd, [null, curvature]);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => rule.Init([Tensor.Zeros(3, 2)])).ParamName);
        var parameters = new[] { Tensor.Zeros(4), Tensor.Zeros(3, 3) };
        var mismatch = Assert.Throws<ArgumentException>(() => rule.Step(parameters, [null, Tensor.Zeros(3, 3)], rule.Init(parameters)));
        Assert.Equal("gradients", mismatch.ParamName);
        Assert.Contains("parameter 1", mismatch.Message, StringComparison.Ordinal);
    }
}
