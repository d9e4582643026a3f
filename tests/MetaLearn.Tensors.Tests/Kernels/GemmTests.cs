using System.Numerics;
using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Tests.Kernels;

public class GemmTests
{
    // (m, n, k): empty, vectors, odd sizes, k > KC (two reduction blocks), n > NC (several column
    // blocks), products above the threading threshold split by rows and by columns.
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (0, 0, 0), (0, 5, 3), (5, 0, 3), (3, 4, 0), (1, 1, 1), (1, 7, 5), (7, 1, 5), (5, 7, 1),
        (1, 1, 33), (2, 3, 4), (9, 8, 3), (10, 40, 40), (25, 1, 40), (1, 40, 25), (17, 33, 65),
        (33, 17, 300), (3, 5, 1100), (9, 530, 20), (130, 140, 150), (20, 1100, 100),
    ];

    public static TheoryData<int, int, int, bool, bool, bool> Cases()
    {
        var data = new TheoryData<int, int, int, bool, bool, bool>();
        foreach (var (m, n, k) in Shapes)
        {
            for (int flags = 0; flags < 8; flags++)
            {
                data.Add(m, n, k, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FloatMatchesNaive(int m, int n, int k, bool transA, bool transB, bool accumulate)
        => CheckAgainstNaive<float>(m, n, k, transA, transB, accumulate, 1e-4);

    [Theory]
    [MemberData(nameof(Cases))]
    public void DoubleMatchesNaive(int m, int n, int k, bool transA, bool transB, bool accumulate)
        => CheckAgainstNaive<double>(m, n, k, transA, transB, accumulate, 1e-12);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Float256Cube(bool transA, bool transB)
        => CheckAgainstNaive<float>(256, 256, 256, transA, transB, accumulate: false, 1e-4);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EmptyReductionZeroesOrKeepsC(bool accumulate)
    {
        var c = new float[] { 1, float.NaN, 3, 4, 5, 6 };
        Gemm.Multiply<float>([], [], c, 2, 3, 0, false, false, accumulate);
        Assert.Equal(accumulate ? [1, float.NaN, 3, 4, 5, 6] : new float[6], c);
    }

    [Fact]
    public void HandComputedProduct()
    {
        // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50]
        var c = new double[4];
        Gemm.Multiply<double>([1, 2, 3, 4], [5, 6, 7, 8], c, 2, 2, 2, false, false, false);
        Assert.Equal([19, 22, 43, 50], c);

        // Aᵀ · Bᵀ with the same storage: [1 3; 2 4] · [5 7; 6 8] = [23 31; 34 46]
        Gemm.Multiply<double>([1, 2, 3, 4], [5, 6, 7, 8], c, 2, 2, 2, true, true, false);
        Assert.Equal([23, 31, 34, 46], c);
    }

    [Theory]
    [InlineData(3, 4, 5, 6, 24, 30, false, false)]
    [InlineData(4, 9, 17, 11, 0, 187, true, false)]
    [InlineData(5, 33, 20, 40, 1320, 0, false, true)]
    [InlineData(2, 1, 40, 25, 0, 0, true, true)]
    [InlineData(64, 24, 24, 64, 1536, 1536, false, false)]
    public void BatchedMatchesNaive(int batch, int m, int n, int k, int aStride, int bStride, bool transA, bool transB)
    {
        var rng = new Random(7);
        var a = Random<double>(rng, aStride == 0 ? m * k : batch * aStride);
        var b = Random<double>(rng, bStride == 0 ? k * n : batch * bStride);
        var c0 = Random<double>(rng, batch * m * n);
        foreach (bool accumulate in new[] { false, true })
        {
            var c = (double[])c0.Clone();
            Gemm.MultiplyBatched<double>(a, b, c, batch, m, n, k, transA, transB, accumulate, aStride, bStride);
            for (int i = 0; i < batch; i++)
            {
                var expected = Naive(
                    a.AsSpan(i * aStride, m * k), b.AsSpan(i * bStride, k * n), c0.AsSpan(i * m * n, m * n), m, n, k, transA, transB, accumulate, out var scale);
                AssertClose(expected, scale, c.AsSpan(i * m * n, m * n), 1e-12);
            }
        }
    }

    [Theory]
    [InlineData(256, 256, 256)]
    [InlineData(40, 600, 200)]
    [InlineData(301, 67, 129)]
    public void ThreadingIsBitIdentical(int m, int n, int k)
    {
        var rng = new Random(3);
        var a = Random<float>(rng, m * k);
        var b = Random<float>(rng, k * n);
        var c0 = Random<float>(rng, m * n);
        var c1 = (float[])c0.Clone();
        var cMany = (float[])c0.Clone();
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            Parallelism.MaxDegreeOfParallelism = 1;
            Gemm.Multiply<float>(a, b, c1, m, n, k, false, true, true);
            Parallelism.MaxDegreeOfParallelism = 5;
            Gemm.Multiply<float>(a, b, cMany, m, n, k, false, true, true);
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }

        Assert.Equal(c1, cMany);
    }

    [Fact]
    public void BatchThreadingIsBitIdentical()
    {
        const int Batch = 80, M = 16, N = 49, K = 64;
        var rng = new Random(5);
        var a = Random<double>(rng, M * K);
        var b = Random<double>(rng, Batch * K * N);
        var c1 = new double[Batch * M * N];
        var cMany = new double[Batch * M * N];
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            Parallelism.MaxDegreeOfParallelism = 1;
            Gemm.MultiplyBatched<double>(a, b, c1, Batch, M, N, K, false, false, false, 0, K * N);
            Parallelism.MaxDegreeOfParallelism = 3;
            Gemm.MultiplyBatched<double>(a, b, cMany, Batch, M, N, K, false, false, false, 0, K * N);
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }

        Assert.Equal(c1, cMany);
    }

    [Theory]
    [InlineData(10, 40, 40)]
    [InlineData(25, 1, 40)]
    [InlineData(64, 64, 64)]
    public void SteadyStateCallsDoNotAllocate(int m, int n, int k)
    {
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        void Run()
        {
            for (int i = 0; i < 8; i++)
            {
                Gemm.Multiply<float>(a, b, c, m, n, k, (i & 1) != 0, (i & 2) != 0, (i & 4) != 0);
            }
        }

        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run();

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void RejectsShortSpans()
    {
        Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(new float[5], new float[6], new float[4], 2, 2, 3, false, false, false));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(new float[6], new float[6], new float[3], 2, 2, 3, false, false, false));
    }

    private static void CheckAgainstNaive<T>(int m, int n, int k, bool transA, bool transB, bool accumulate, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(HashCode.Combine(m, n, k, transA, transB, accumulate));
        var a = Random<T>(rng, m * k);
        var b = Random<T>(rng, k * n);
        var c0 = Random<T>(rng, m * n);
        var c = accumulate ? (T[])c0.Clone() : Enumerable.Repeat(T.NaN, m * n).ToArray();
        Gemm.Multiply<T>(a, b, c, m, n, k, transA, transB, accumulate);
        var expected = Naive<T>(a, b, c0, m, n, k, transA, transB, accumulate, out var scale);
        AssertClose<T>(expected, scale, c, tolerance);
    }

    private static T[] Random<T>(Random rng, int length)
        where T : IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateTruncating((rng.NextDouble() * 2) - 1);
        }

        return values;
    }

    /// <summary>Reference product in double; <paramref name="scale"/> is Σ|a||b| (+|c|) per element.</summary>
    private static double[] Naive<T>(
        ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> c0, int m, int n, int k, bool transA, bool transB, bool accumulate, out double[] scale)
        where T : IFloatingPointIeee754<T>
    {
        // Materialise op(A) as [m,k] and op(B)ᵀ as [n,k] in double so the inner loop is two contiguous reads.
        var opA = new double[m * k];
        var opBt = new double[n * k];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                opA[(i * k) + p] = double.CreateTruncating(transA ? a[(p * m) + i] : a[(i * k) + p]);
            }
        }

        for (int j = 0; j < n; j++)
        {
            for (int p = 0; p < k; p++)
            {
                opBt[(j * k) + p] = double.CreateTruncating(transB ? b[(j * k) + p] : b[(p * n) + j]);
            }
        }

        var result = new double[m * n];
        scale = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> row = opA.AsSpan(i * k, k);
            for (int j = 0; j < n; j++)
            {
                ReadOnlySpan<double> column = opBt.AsSpan(j * k, k);
                double sum = accumulate ? double.CreateTruncating(c0[(i * n) + j]) : 0;
                double abs = Math.Abs(sum);
                for (int p = 0; p < row.Length; p++)
                {
                    double product = row[p] * column[p];
                    sum += product;
                    abs += Math.Abs(product);
                }

                result[(i * n) + j] = sum;
                scale[(i * n) + j] = abs;
            }
        }

        return result;
    }

    private static void AssertClose<T>(double[] expected, double[] scale, ReadOnlySpan<T> actual, double tolerance)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(double.CreateTruncating(actual[i]) - expected[i]);
            Assert.True(error <= (tolerance * scale[i]) + double.Epsilon, $"element {i}: expected {expected[i]}, got {actual[i]} (error {error}, scale {scale[i]})");
        }
    }
}
