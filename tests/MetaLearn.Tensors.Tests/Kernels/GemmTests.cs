using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Tests.Kernels;

public class GemmTests
{
    public static TheoryData<int, int, int, bool, bool, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, bool, bool, bool>();
        int[][] sizes = [[1, 1, 1], [0, 3, 2], [3, 0, 2], [2, 3, 0], [1, 40, 40], [10, 40, 40], [10, 1, 40], [25, 40, 1], [7, 33, 5], [17, 33, 65], [6, 32, 9], [13, 64, 100], [128, 96, 70]];
        foreach (var s in sizes)
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    data.Add(s[0], s[1], s[2], transA, transB, (s[0] + s[1]) % 2 == 0);
                }
            }
        }

        return data;
    }

    private static double[] Random(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (random.NextDouble() * 2) - 1)];
    }

    /// <summary>C (+)= op(A)op(B) computed naively in double.</summary>
    private static double[] Naive(double[] a, double[] b, double[] c, int m, int n, int k, bool transA, bool transB, bool accumulate)
    {
        var result = accumulate ? (double[])c.Clone() : new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (transA ? a[(p * m) + i] : a[(i * k) + p]) * (transB ? b[(j * k) + p] : b[(p * n) + j]);
                }

                result[(i * n) + j] += sum;
            }
        }

        return result;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTheNaiveProductInDoubleAndSingle(int m, int n, int k, bool transA, bool transB, bool accumulate)
    {
        var a = Random(m * k, 1);
        var b = Random(k * n, 2);
        var c = Random(m * n, 3);
        var expected = Naive(a, b, c, m, n, k, transA, transB, accumulate);

        var c64 = (double[])c.Clone();
        Gemm.Multiply<double>(a, b, c64, m, n, k, transA, transB, accumulate);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - c64[i]) <= 1e-12 * (k + 1), $"double [{i}]: {c64[i]} vs {expected[i]}");
        }

        var c32 = c.Select(v => (float)v).ToArray();
        Gemm.Multiply<float>(a.Select(v => (float)v).ToArray(), b.Select(v => (float)v).ToArray(), c32, m, n, k, transA, transB, accumulate);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - c32[i]) <= 2e-6 * (k + 2), $"float [{i}]: {c32[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void BatchedWithABroadcastOperandMatchesSeparateProducts()
    {
        const int batch = 3, m = 5, n = 37, k = 11;
        var a = Random(batch * m * k, 4);
        var b = Random(k * n, 5);
        var c = new double[batch * m * n];
        Gemm.MultiplyBatched<double>(a, b, c, batch, m, n, k, false, false, false, m * k, 0);
        for (int t = 0; t < batch; t++)
        {
            var expected = Naive(a.AsSpan(t * m * k, m * k).ToArray(), b, new double[m * n], m, n, k, false, false, false);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], c[(t * m * n) + i], 12);
            }
        }
    }

    [Fact]
    public void ParallelProductIsBitIdenticalToSingleThreaded()
    {
        const int m = 301, n = 150, k = 97;
        var a = Random(m * k, 6).Select(v => (float)v).ToArray();
        var b = Random(k * n, 7).Select(v => (float)v).ToArray();
        var parallel = new float[m * n];
        var serial = new float[m * n];
        int saved = Gemm.MaxDegreeOfParallelism;
        try
        {
            Gemm.MaxDegreeOfParallelism = 4;
            Gemm.Multiply<float>(a, b, parallel, m, n, k, false, true, false);
            Gemm.MaxDegreeOfParallelism = 1;
            Gemm.Multiply<float>(a, b, serial, m, n, k, false, true, false);
        }
        finally
        {
            Gemm.MaxDegreeOfParallelism = saved;
        }

        Assert.Equal(serial, parallel);
    }
}
