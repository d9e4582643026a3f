using MetaLearn.Tensors;
using static MetaLearn.Tensors.Tests.TensorAssert;

namespace MetaLearn.Tensors.Tests.Ops;

/// <summary>Forward values of every op family against hand-computed results, in both precisions.</summary>
public class KnownValueTests
{
    public static TheoryData<DType> DTypes => BothDTypes;

    private static readonly double[] Image3X3 = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    private static readonly double[] Kernel2X2 = [1, 2, 3, 4];

    // ---- convolution ----

    [Theory]
    [MemberData(nameof(DTypes))]
    public void Conv2dValidTwoByTwo(DType dtype)
    {
        var y = Functional.Conv2d(Make(dtype, Image3X3, 1, 1, 3, 3), Make(dtype, Kernel2X2, 1, 1, 2, 2));
        Close(y, [1, 1, 2, 2], [37, 47, 67, 77]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void Conv2dPaddingOneReadsZeros(DType dtype)
    {
        var y = Functional.Conv2d(Make(dtype, Image3X3, 1, 1, 3, 3), Make(dtype, Kernel2X2, 1, 1, 2, 2), padding: 1);
        Close(y, [1, 1, 4, 4], [4, 11, 18, 9, 18, 37, 47, 21, 36, 67, 77, 33, 14, 23, 26, 9]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void Conv2dStrideTwo(DType dtype)
    {
        var y = Functional.Conv2d(Range(16, dtype, 1, 1, 4, 4) + 1, Make(dtype, Kernel2X2, 1, 1, 2, 2), stride: 2);
        Close(y, [1, 1, 2, 2], [44, 64, 124, 144]);

        var padded = Functional.Conv2d(Make(dtype, Image3X3, 1, 1, 3, 3), Make(dtype, Kernel2X2, 1, 1, 2, 2), stride: 2, padding: 1);
        Close(padded, [1, 1, 2, 2], [4, 18, 36, 77]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void Conv2dMultiChannelWithBias(DType dtype)
    {
        // Two channels [[1,2],[3,4]] and [[5,6],[7,8]]; sample 1 is the negation of sample 0.
        double[] sample = [1, 2, 3, 4, 5, 6, 7, 8];
        var x = Make(dtype, [.. sample, .. sample.Select(v => -v)], 2, 2, 2, 2);

        // 1x1 kernels mixing channels: out0 = c0, out1 = c1 + 10, out2 = c0 − c1 + 100.
        var w = Make(dtype, [1, 0, 0, 1, 1, -1], 3, 2, 1, 1);
        var b = Make(dtype, [0, 10, 100], 3);
        Close(Functional.Conv2d(x, w, b), [2, 3, 2, 2], [1, 2, 3, 4, 15, 16, 17, 18, 96, 96, 96, 96, -1, -2, -3, -4, 5, 4, 3, 2, 104, 104, 104, 104]);

        // 2x2 kernels covering the whole image: out0 = Σ all + 0.5, out1 = Σ c0 − Σ c1 − 1.
        var whole = Make(dtype, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1], 2, 2, 2, 2);
        Close(Functional.Conv2d(x, whole, Make(dtype, [0.5, -1], 2)), [2, 2, 1, 1], [36.5, -17, -35.5, 15]);
    }

    // ---- pooling ----

    private static readonly double[] Pool4X4 = [1, 5, 2, 0, 3, -1, 7, 4, -2, -3, 0, 9, 8, 6, -5, 1];

    [Theory]
    [MemberData(nameof(DTypes))]
    public void Pool2dTwoByTwo(DType dtype)
    {
        var x = Make(dtype, Pool4X4, 1, 1, 4, 4);
        Close(Functional.MaxPool2d(x, 2), [1, 1, 2, 2], [5, 7, 8, 9]);
        Close(Functional.AvgPool2d(x, 2), [1, 1, 2, 2], [2, 3.25, 2.25, 1.25]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void MaxPoolPaddingActsAsNegativeInfinity(DType dtype)
    {
        var x = Make(dtype, Image3X3.Select(v => -v).ToArray(), 1, 1, 3, 3);
        Close(Functional.MaxPool2d(x, 3, 1, 1), [1, 1, 3, 3], [-1, -1, -2, -1, -1, -2, -4, -4, -5]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void AvgPoolCountsPaddingAsZeros(DType dtype)
    {
        var x = Make(dtype, Image3X3, 1, 1, 3, 3);
        Close(Functional.AvgPool2d(x, 3, 1, 1), [1, 1, 3, 3], new double[] { 12, 21, 16, 27, 45, 33, 24, 39, 28 }.Select(v => v / 9).ToArray());
    }

    [Fact]
    public void PoolingKeepsBatchAndChannelsApart()
    {
        var x = Range(32, DType.Float64, 2, 1, 4, 4).Reshape(1, 2, 4, 4);
        Close(Functional.MaxPool2d(x, 2), [1, 2, 2, 2], [5, 7, 13, 15, 21, 23, 29, 31]);
        Close(Functional.AvgPool2d(x, 4), [1, 2, 1, 1], [7.5, 23.5]);
    }

    // ---- softmax family ----

    private static double[] SoftmaxRow(double[] row)
    {
        double max = row.Max();
        double total = row.Sum(v => Math.Exp(v - max));
        return [.. row.Select(v => Math.Exp(v - max) / total)];
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void SoftmaxRows(DType dtype)
    {
        var x = Make(dtype, [1, 2, 3, 0, 0, 0], 2, 3);
        Close(Functional.Softmax(x), [2, 3], [.. SoftmaxRow([1, 2, 3]), 1.0 / 3, 1.0 / 3, 1.0 / 3]);
        Close(Functional.LogSoftmax(x), [2, 3], [.. SoftmaxRow([1, 2, 3]).Select(v => Math.Log(v)), -Math.Log(3), -Math.Log(3), -Math.Log(3)]);

        // Along axis 0 of the same tensor: columns (1,0), (2,0), (3,0).
        double e1 = Math.Exp(1), e2 = Math.Exp(2), e3 = Math.Exp(3);
        Close(Functional.Softmax(x, 0), [2, 3], [e1 / (e1 + 1), e2 / (e2 + 1), e3 / (e3 + 1), 1 / (e1 + 1), 1 / (e2 + 1), 1 / (e3 + 1)]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void SoftmaxOfHugeValuesDoesNotOverflow(DType dtype)
    {
        var x = Make(dtype, [1000, 1001, 1002, -1000, 0, 1000], 2, 3);
        var softmax = Functional.Softmax(x);
        Assert.All(softmax.ToDoubleArray(), v => Assert.True(double.IsFinite(v)));
        Close(softmax, [2, 3], [.. SoftmaxRow([0, 1, 2]), 0, 0, 1]);

        var logSoftmax = Functional.LogSoftmax(x);
        Close(logSoftmax, [2, 3], [.. SoftmaxRow([0, 1, 2]).Select(v => Math.Log(v)), -2000, -1000, 0]);

        Close(Functional.LogSumExp(Make(dtype, [1000, 1000], 2)), [], [1000 + Math.Log(2)]);
        Close(Functional.LogSumExp(Make(dtype, [-1000, -1000], 2)), [], [-1000 + Math.Log(2)]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void LogSumExpAlongAxes(DType dtype)
    {
        var x = Make(dtype, [0, 1, 2, 3, 4, 5], 2, 3);
        Close(Functional.LogSumExp(x), [2], [Math.Log(1 + Math.E + Math.Exp(2)), Math.Log(Math.Exp(3) + Math.Exp(4) + Math.Exp(5))]);
        Close(Functional.LogSumExp(x, 0, keepDims: true), [1, 3], [Math.Log(1 + Math.Exp(3)), Math.Log(Math.E + Math.Exp(4)), Math.Log(Math.Exp(2) + Math.Exp(5))]);
    }

    [Fact]
    public void LogSumExpOfAllNegativeInfinityIsNegativeInfinity()
    {
        // A fully masked row: log Σ exp(−∞) = −∞ (PyTorch and SciPy agree), not NaN.
        var x = Tensor.FromArray(new[] { double.NegativeInfinity, double.NegativeInfinity, 0, 1 }, 2, 2);
        Close(Functional.LogSumExp(x), [2], [double.NegativeInfinity, Math.Log(1 + Math.E)]);
    }

    // ---- matmul ----

    private static readonly double[] A23 = [1, 2, 3, 4, 5, 6];
    private static readonly double[] B32 = [7, 8, 9, 10, 11, 12];
    private static readonly double[] AB = [58, 64, 139, 154];

    [Theory]
    [MemberData(nameof(DTypes))]
    public void MatMulTwoDimensional(DType dtype)
    {
        Close(Tensor.MatMul(Make(dtype, A23, 2, 3), Make(dtype, B32, 3, 2)), [2, 2], AB);
        Close(Make(dtype, A23, 2, 3).MatMul(Make(dtype, B32, 3, 2)), [2, 2], AB);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void MatMulTransposeFlags(DType dtype)
    {
        var aT = Make(dtype, [1, 4, 2, 5, 3, 6], 3, 2);
        var bT = Make(dtype, [7, 9, 11, 8, 10, 12], 2, 3);
        Close(Tensor.MatMul(aT, Make(dtype, B32, 3, 2), transposeA: true), [2, 2], AB);
        Close(Tensor.MatMul(Make(dtype, A23, 2, 3), bT, transposeB: true), [2, 2], AB);
        Close(Tensor.MatMul(aT, bT, transposeA: true, transposeB: true), [2, 2], AB);
        Close(Make(dtype, A23, 2, 3).T, [3, 2], [1, 4, 2, 5, 3, 6]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void MatMulBatchedWithBroadcasting(DType dtype)
    {
        // [2, 2, 3] @ [3, 2]: the right matrix is shared by both batches.
        var a = Make(dtype, [.. A23, .. A23.Select(v => 2 * v)], 2, 2, 3);
        Close(Tensor.MatMul(a, Make(dtype, B32, 3, 2)), [2, 2, 2], [.. AB, .. AB.Select(v => 2 * v)]);

        // [2, 1, 2, 2] (I and 2I) @ [3, 2, 2] (M0, M1, M2) → [2, 3, 2, 2] with out[i, j] = (i + 1)·Mj.
        var scales = Make(dtype, [1, 0, 0, 1, 2, 0, 0, 2], 2, 1, 2, 2);
        var m = Range(12, dtype, 3, 2, 2);
        var expected = Enumerable.Range(0, 12).Select(v => (double)v).Concat(Enumerable.Range(0, 12).Select(v => 2.0 * v)).ToArray();
        Close(Tensor.MatMul(scales, m), [2, 3, 2, 2], expected);

        // Batched with a transpose flag: Mjᵀ.
        Close(Tensor.MatMul(m, Make(dtype, [1, 0, 0, 1], 2, 2), transposeA: true), [3, 2, 2], [0, 2, 1, 3, 4, 6, 5, 7, 8, 10, 9, 11]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void LinearAddsTheBiasToEachRow(DType dtype)
    {
        // x·Wᵀ + b with W = Bᵀ (so x·Wᵀ = A·B), shared, over a leading axis, and for a vector input.
        var w = Make(dtype, [7, 9, 11, 8, 10, 12], 2, 3);
        var b = Make(dtype, [1, -1], 2);
        double[] expected = [.. AB.Select((v, i) => v + (i % 2 == 0 ? 1 : -1))];
        Close(Functional.Linear(Make(dtype, A23, 2, 3), w, b), [2, 2], expected);
        Close(Functional.Linear(Make(dtype, A23, 2, 3), w), [2, 2], AB);
        Close(Functional.Linear(Make(dtype, [.. A23, .. A23], 2, 2, 3), w, b), [2, 2, 2], [.. expected, .. expected]);
        Close(Functional.Linear(Make(dtype, A23[..3], 3), w, b), [2], expected[..2]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void LinearPerTaskUsesEachTasksWeights(DType dtype)
    {
        // Task 0: W = Bᵀ, b = (1, −1); task 1: W = 2Bᵀ, b = (0, 10), each on the same rows A.
        var x = Make(dtype, [.. A23, .. A23], 2, 2, 3);
        var w = Make(dtype, [7, 9, 11, 8, 10, 12, 14, 18, 22, 16, 20, 24], 2, 2, 3);
        var b = Make(dtype, [1, -1, 0, 10], 2, 2);
        double[] task0 = [.. AB.Select((v, i) => v + (i % 2 == 0 ? 1 : -1))];
        double[] task1 = [.. AB.Select((v, i) => (2 * v) + (i % 2 == 0 ? 0 : 10))];
        Close(Functional.Linear(x, w, b), [2, 2, 2], [.. task0, .. task1]);
        Close(Functional.Linear(x, w), [2, 2, 2], [.. AB, .. AB.Select(v => 2 * v)]);
    }

    public static TheoryData<string> GemmProviders => MetaLearn.Tensors.Tests.Kernels.GemmProviders.Supported;

    [Theory]
    [MemberData(nameof(GemmProviders))]
    public void LinearMatchesMatMulPlusBiasBitForBit(string provider)
    {
        // The fused layer adds the bias in the product's epilogue: the same roundings as a product followed by an add. Per
        // task [10 x 40]·[40 x 33] (a partial last panel) and [30 x 40]·[40 x 21] (enough rows for packed panels).
        using var scope = MetaLearn.Tensors.Tests.Kernels.GemmProviders.Use(provider);
        var generator = new Generator(5);
        foreach (var (rows, outputs) in new[] { (10, 33), (30, 21) })
        {
            var x = Tensor.RandomNormal(generator, [3, rows, 40]);
            var w = Tensor.RandomNormal(generator, [3, outputs, 40]);
            var b = Tensor.RandomNormal(generator, [3, outputs]);
            var fused = Functional.Linear(x, w, b).ToArray();
            var composed = (Tensor.MatMul(x, w, transposeB: true) + b.Unsqueeze(1)).ToArray();
            Assert.Equal(composed, fused);
        }
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void LinearReluClampsNegativesToZero(DType dtype)
    {
        // A·B + b = [59 63; 140 153] with b = (1, −1); W = −Bᵀ gives the negatives, all clamped.
        var w = Make(dtype, [7, 9, 11, 8, 10, 12], 2, 3);
        var b = Make(dtype, [1, -1], 2);
        Close(Functional.LinearRelu(Make(dtype, A23, 2, 3), w, b), [2, 2], [59, 63, 140, 153]);
        Close(Functional.LinearRelu(Make(dtype, A23, 2, 3), -w, b), [2, 2], [0, 0, 0, 0]);
        Close(Functional.LinearRelu(Make(dtype, [1, 2, 3, -1, -2, -3], 2, 3), w, b), [2, 2], [59, 63, 0, 0]);
    }

    [Fact]
    public void LinearReluMatchesLinearThenReluBitForBit()
    {
        var generator = new Generator(9);
        var x = Tensor.RandomNormal(generator, [3, 10, 40]);
        var w = Tensor.RandomNormal(generator, [3, 40, 40]);
        var b = Tensor.RandomNormal(generator, [3, 40]);
        Assert.Equal(Functional.Linear(x, w, b).Relu().ToArray(), Functional.LinearRelu(x, w, b).ToArray());
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void AddScaledIsAPlusCTimesB(DType dtype)
    {
        var a = Make(dtype, [1, 2, 3], 3);
        var b = Make(dtype, [10, 20, 30], 3);
        Close(MetaLearn.Tensors.Ops.AddScaled.Apply(a, b, -0.5), [3], [-4, -8, -12]);
        Close(MetaLearn.Tensors.Ops.AddScaled.Apply(a, b, 0), [3], [1, 2, 3]);
    }

    [Fact]
    public void AddScaledMatchesTheCompositionBitForBit()
    {
        var generator = new Generator(11);
        var a = Tensor.RandomNormal(generator, [7, 33]);
        var b = Tensor.RandomNormal(generator, [7, 33]);
        Assert.Equal((a - (b * 0.01)).ToArray(), MetaLearn.Tensors.Ops.AddScaled.Apply(a, b, -0.01).ToArray());
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void MeanSquaredErrorIsTheMeanOfSquaredDifferences(DType dtype)
    {
        // Differences (1, −2, 3, 0): squares 1, 4, 9, 0, mean 3.5.
        var p = Make(dtype, [2, 0, 5, 7], 2, 2);
        var t = Make(dtype, [1, 2, 2, 7], 2, 2);
        Close(MetaLearn.Tensors.Ops.MeanSquaredError.Apply(p, t), [], [3.5]);
    }

    [Fact]
    public void MeanSquaredErrorMatchesTheCompositionBitForBit()
    {
        // Value, gradient and the gradient of a function of the gradient (second order), against (p − t)².Mean().
        var generator = new Generator(13);
        var p = Tensor.RandomNormal(generator, [5, 10, 1]);
        var t = Tensor.RandomNormal(generator, [5, 10, 1]);
        var w = Tensor.RandomNormal(generator, [5, 10, 1]);
        w.RequiresGrad = true;
        Tensor Fused(Tensor x) => MetaLearn.Tensors.Ops.MeanSquaredError.Apply(x, t);
        Tensor Composed(Tensor x) => (x - t).Square().Mean();
        (float[] Value, float[] Grad, float[] Outer) Run(Func<Tensor, Tensor> loss)
        {
            var x = p * w;
            var value = loss(x);
            var g = MetaLearn.Tensors.Autodiff.Autograd.Grad(value * 25, [x], createGraph: true)[0]!;
            var outer = MetaLearn.Tensors.Autodiff.Autograd.Grad((g * x).Sum(), [w])[0]!;
            return (value.ToArray(), g.ToArray(), outer.ToArray());
        }

        var fused = Run(Fused);
        var composed = Run(Composed);
        Assert.Equal(composed.Value, fused.Value);
        Assert.Equal(composed.Grad, fused.Grad);
        Assert.Equal(composed.Outer, fused.Outer);
    }

    // ---- reductions ----

    [Theory]
    [MemberData(nameof(DTypes))]
    public void SumMeanMaxOverAxes(DType dtype)
    {
        var x = Range(24, dtype, 2, 3, 4); // x[i, j, k] = 12i + 4j + k
        Close(x.Sum(), [], [276]);
        Close(x.Sum(0), [3, 4], Grid(3, 4, (j, k) => 12 + (8 * j) + (2 * k)));
        Close(x.Sum(1, keepDims: true), [2, 1, 4], Grid(2, 4, (i, k) => (36 * i) + 12 + (3 * k)));
        Close(x.Sum(-1), [2, 3], Grid(2, 3, (i, j) => (48 * i) + (16 * j) + 6));
        Close(x.Sum([0, 2], keepDims: true), [1, 3, 1], [60, 92, 124]);
        Close(x.Sum([2, 0]), [3], [60, 92, 124]);
        Close(x.Mean(), [], [11.5]);
        Close(x.Mean(2), [2, 3], Grid(2, 3, (i, j) => (12 * i) + (4 * j) + 1.5));
        Close(x.Mean([0, 1], keepDims: true), [1, 1, 4], [10, 11, 12, 13]);
        Close(x.Max(), [], [23]);
        Close(x.Max(1, keepDims: true), [2, 1, 4], Grid(2, 4, (i, k) => (12 * i) + 8 + k));
        Close(x.Max([0, 1]), [4], [20, 21, 22, 23]);
        Close(x.Min(0), [3, 4], Grid(3, 4, (j, k) => (4 * j) + k));
        Close(x.Min(), [], [0]);
        Assert.Equal([2, 2], x.Sum(2).ArgMax(1));
        Assert.Equal(Enumerable.Repeat(1, 12), x.ArgMax(0));
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void MaxOfNegativeValuesAndSizeOneAxes(DType dtype)
    {
        var x = Make(dtype, [-5, -3, -4, -9, -1, -2], 2, 1, 3);
        Close(x.Max(2), [2, 1], [-3, -1]);
        Close(x.Max(1), [2, 3], [-5, -3, -4, -9, -1, -2]);
        Close(x.Max([0, 1]), [3], [-5, -1, -2]);
        Close(Make(dtype, [-7], 1, 1).Max(), [], [-7]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void Variance(DType dtype)
    {
        var v = Make(dtype, [1, 2, 3, 4], 4);
        Close(v.Variance([0]), [], [1.25]);
        Close(v.Variance([0], unbiased: true), [], [5.0 / 3]);
        var m = Make(dtype, [1, 2, 3, 6], 2, 2);
        Close(m.Variance([0]), [2], [1, 4]);
        Close(m.Variance([1], keepDims: true), [2, 1], [0.25, 2.25]);
        Close(m.Variance([0, 1]), [], [3.5]);
    }

    // ---- layout ----

    [Theory]
    [MemberData(nameof(DTypes))]
    public void PermuteAndTranspose(DType dtype)
    {
        var x = Range(24, dtype, 2, 3, 4);
        var p = x.Permute(2, 0, 1);
        Assert.Equal([4, 2, 3], p.Shape.ToArray());
        for (int k = 0; k < 4; k++)
        {
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    Assert.Equal((12 * i) + (4 * j) + k, p.GetValue(k, i, j));
                }
            }
        }

        Close(Range(6, dtype, 2, 3).Transpose(0, 1), [3, 2], [0, 3, 1, 4, 2, 5]);
        Close(x.Transpose(-1, 0), [4, 3, 2], Enumerable.Range(0, 24).Select(n => (double)((12 * (n % 2)) + (4 * (n / 2 % 3)) + (n / 6))).ToArray());
        Assert.Same(x, x.Permute(0, 1, 2));
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void SliceWithStep(DType dtype)
    {
        var v = Range(10, dtype, 10);
        Close(v.Slice(0, 1, 8, 3), [3], [1, 4, 7]);
        Close(v.Slice(0, -3, 10), [3], [7, 8, 9]);
        Close(v.Slice(0, 2, -5), [3], [2, 3, 4]);
        Close(v.Slice(0, 4, 4), [0], []);
        Close(v.Slice(0, 0, 10, 4), [3], [0, 4, 8]);
        Close(Range(10, dtype, 2, 5).Slice(1, 0, 5, 2), [2, 3], [0, 2, 4, 5, 7, 9]);
        Close(v.IndexSelect(0, [9, 0, 9]), [3], [9, 0, 9]);
    }

    [Fact]
    public void SliceWithAStepLargerThanTheRangeTakesTheFirstElement()
    {
        var v = Range(10, DType.Float64, 10);
        Close(v.Slice(0, 3, 10, 100), [1], [3]);
        Close(v.Slice(0, 3, 10, int.MaxValue), [1], [3]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void GatherAndScatterAdd(DType dtype)
    {
        var x = Make(dtype, [1, 2, 3, 4, 5, 6], 2, 3);
        Close(x.Gather(1, [2, 0, 1, 1], [2, 2]), [2, 2], [3, 1, 5, 5]);
        Close(x.Gather(0, [1, 0, 1], [1, 3]), [1, 3], [4, 2, 6]);
        var source = Make(dtype, [1, 2, 3, 4], 2, 2);
        Close(source.ScatterAdd(1, [2, 0, 2, 2], [2, 3]), [2, 3], [2, 0, 1, 0, 0, 7]);
        Close(source.ScatterAdd(0, [2, 2, 0, 2], [3, 2]), [3, 2], [3, 0, 0, 0, 1, 6]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void ConcatAndStack(DType dtype)
    {
        var a = Make(dtype, [1, 2], 1, 2);
        var b = Make(dtype, [3, 4, 5, 6], 2, 2);
        Close(Tensor.Concat([a, b]), [3, 2], [1, 2, 3, 4, 5, 6]);
        Close(Tensor.Concat([Make(dtype, [1, 2], 2, 1), b], 1), [2, 3], [1, 3, 4, 2, 5, 6]);
        Close(Tensor.Concat([b, Make(dtype, [], 2, 0), b], -1), [2, 4], [3, 4, 3, 4, 5, 6, 5, 6]);
        var u = Make(dtype, [1, 2], 2);
        var w = Make(dtype, [3, 4], 2);
        Close(Tensor.Stack([u, w]), [2, 2], [1, 2, 3, 4]);
        Close(Tensor.Stack([u, w], 1), [2, 2], [1, 3, 2, 4]);
        Close(Tensor.Stack([u, w], -1), [2, 2], [1, 3, 2, 4]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void WhereClampAndElementwise(DType dtype)
    {
        var condition = Make(dtype, [1, 0, 1], 3);
        var a = Make(dtype, [1, 2, 3, 4, 5, 6], 2, 3);
        Close(Tensor.Where(condition, a, Tensor.Scalar(-1, dtype)), [2, 3], [1, -1, 3, 4, -1, 6]);
        Close(Tensor.Where(Make(dtype, [0, 2], 2, 1), a, -a), [2, 3], [-1, -2, -3, 4, 5, 6]);

        var v = Make(dtype, [-2, -0.5, 0.5, 2], 4);
        Close(v.Clamp(-1, 1), [4], [-1, -0.5, 0.5, 1]);
        Close(v.Abs(), [4], [2, 0.5, 0.5, 2]);
        Close(v.Relu(), [4], [0, 0, 0.5, 2]);
        Close(v.LeakyRelu(0.1), [4], [-0.2, -0.05, 0.5, 2]);
        Close(v.Pow(3), [4], [-8, -0.125, 0.125, 8]);
        Close(v.Square(), [4], [4, 0.25, 0.25, 4]);
        Close(1.0 / v, [4], [-0.5, -2, 2, 0.5]);
        Close(v / 2.0, [4], [-1, -0.25, 0.25, 1]);
        Close(3.0 - v, [4], [5, 3.5, 2.5, 1]);
        Close(v.Maximum(Tensor.Scalar(0, dtype)), [4], [0, 0, 0.5, 2]);
        Close(v.Minimum(Make(dtype, [0, -1, 1, 0], 4)), [4], [-2, -1, 0.5, 0]);
        Close(v.GreaterThan(Tensor.Scalar(0, dtype)), [4], [0, 0, 1, 1]);
        Close(v.Sigmoid(), [4], [.. new[] { -2, -0.5, 0.5, 2 }.Select(t => 1 / (1 + Math.Exp(-t)))]);
        Close(v.Tanh(), [4], [.. new[] { -2, -0.5, 0.5, 2 }.Select(t => Math.Tanh(t))]);
        Close(v.Softplus(), [4], [.. new[] { -2, -0.5, 0.5, 2 }.Select(t => Math.Log(1 + Math.Exp(t)))]);
        Close(v.Softplus(beta: 2, threshold: 2), [4], [.. new[] { -2, -0.5, 0.5 }.Select(t => Math.Log(1 + Math.Exp(2 * t)) / 2), 2]);
        Close(v.Elu(1.5), [4], [1.5 * (Math.Exp(-2) - 1), 1.5 * (Math.Exp(-0.5) - 1), 0.5, 2]);
        Close(v.Sum(keepDims: true), [1], [0]);
        Close(v.Reshape(2, 2).Max(keepDims: true), [1, 1], [2]);
        Close(v.Reshape(2, 2).Min(keepDims: true), [1, 1], [-2]);
        Close(v.Reshape(2, 1, 2).Mean(keepDims: true), [1, 1, 1], [0]);
        Close(v.Abs().Sqrt(), [4], [Math.Sqrt(2), Math.Sqrt(0.5), Math.Sqrt(0.5), Math.Sqrt(2)]);
        Close(v.Exp().Log(), [4], [-2, -0.5, 0.5, 2]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void BroadcastingAddOfRankThreeAndRankTwo(DType dtype)
    {
        var a = Range(6, dtype, 2, 1, 3); // a[i, 0, k] = 3i + k
        var b = Make(dtype, [0, 10, 20, 30], 4, 1); // b[j, 0] = 10j
        var sum = a + b;
        var expected = new double[24];
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                for (int k = 0; k < 3; k++)
                {
                    expected[(((i * 4) + j) * 3) + k] = (3 * i) + k + (10 * j);
                }
            }
        }

        Close(sum, [2, 4, 3], expected);
        Close(b + a, [2, 4, 3], expected);
        Close(a.BroadcastTo(2, 4, 3) - a, [2, 4, 3], new double[24]);
        Close(Make(dtype, [1, 2, 3], 3) * Make(dtype, [1, 10], 2, 1), [2, 3], [1, 2, 3, 10, 20, 30]);
        Close(Make(dtype, [8], 1, 1) / Make(dtype, [1, 2, 4], 3), [1, 3], [8, 4, 2]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void ReshapeInfersMinusOne(DType dtype)
    {
        var x = Range(12, dtype, 12);
        var r = x.Reshape(3, -1);
        Close(r, [3, 4], Enumerable.Range(0, 12).Select(v => (double)v).ToArray());
        Assert.Equal([2, 2, 3], x.Reshape(-1, 2, 3).Shape.ToArray());
        Assert.Equal([12], r.Reshape(-1).Shape.ToArray());
        Assert.Equal([1, 12, 1], r.Flatten().Unsqueeze(0).Unsqueeze(-1).Shape.ToArray());
        Assert.Equal([3, 4], r.Unsqueeze(1).Squeeze(1).Shape.ToArray());
        Assert.Equal([0, 3], Tensor.Zeros([0, 4], dtype).Reshape(-1, 3).Shape.ToArray());
    }

    [Fact]
    public void Float32AndFloat64Agree()
    {
        var generator = new Generator(7);
        var x = Tensor.RandomNormal(generator, [2, 3, 5, 5], dtype: DType.Float64);
        var w = Tensor.RandomNormal(generator, [4, 3, 3, 3], dtype: DType.Float64);
        var b = Tensor.RandomNormal(generator, [4], dtype: DType.Float64);
        var m = Tensor.RandomNormal(generator, [16, 6], dtype: DType.Float64);

        static Tensor Pipeline(Tensor x, Tensor w, Tensor b, Tensor m)
        {
            var features = Functional.MaxPool2d(Functional.Conv2d(x, w, b, 1, 1).Relu(), 2).Reshape(2, -1);
            var logits = Tensor.MatMul(features, m) + Functional.AvgPool2d(x, 5).Reshape(2, 3).Sum(1, keepDims: true);
            return Functional.LogSoftmax(logits.Tanh() * 3.0) + logits.Variance([1], keepDims: true);
        }

        var y64 = Pipeline(x, w, b, m);
        var y32 = Pipeline(x.AsType(DType.Float32), w.AsType(DType.Float32), b.AsType(DType.Float32), m.AsType(DType.Float32));
        Assert.Equal(DType.Float32, y32.DType);
        Close(y32, [2, 6], y64.ToDoubleArray(), 1e-4);
    }

    private static double[] Grid(int rows, int columns, Func<int, int, double> value)
    {
        var result = new double[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[(r * columns) + c] = value(r, c);
            }
        }

        return result;
    }
}
