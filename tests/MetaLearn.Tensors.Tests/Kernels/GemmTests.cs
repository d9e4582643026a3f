using System.Numerics;
using MetaLearn.Tensors.Kernels;
using MetaLearn.Tensors.Kernels.Providers;

namespace MetaLearn.Tensors.Tests.Kernels;

/// <summary>
/// The matrix product on every provider this machine runs (<see cref="GemmProviders"/>): against a double-precision product,
/// against the exact chain of roundings <see cref="IGemmKernel"/> promises, and for thread-count independence.
/// </summary>
public class GemmTests
{
    // (m, n, k): empty, vectors, odd sizes; n with many remainders modulo the panel widths (8 and 16 floats with 256-bit
    // vectors, 4 and 8 with 128-bit, 16 and 32 with 512-bit); m of 24 rows and more, whose B panels are packed, in several row
    // blocks (130 rows of k = 150); a B larger than one packed block of columns (520 columns of k = 100); and B rows a
    // multiple of 2 KiB apart (512 and 1024 columns), which the masked 512-bit kernels pack too.
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (0, 0, 0), (0, 5, 3), (5, 0, 3), (3, 4, 0), (1, 1, 1), (1, 7, 5), (7, 1, 5), (5, 7, 1),
        (1, 1, 33), (2, 3, 4), (9, 8, 3), (10, 40, 40), (25, 1, 40), (1, 40, 25), (17, 33, 65),
        (33, 17, 300), (3, 5, 1100), (9, 530, 20), (130, 140, 150), (20, 1100, 100), (24, 12, 7), (26, 29, 3),
        (61, 45, 19), (24, 520, 100), (30, 512, 40), (25, 1024, 17),
    ];

    public static TheoryData<int, int, int, bool, bool, bool, string> Cases()
    {
        var data = new TheoryData<int, int, int, bool, bool, bool, string>();
        foreach (var kind in GemmProvider.Supported)
        {
            foreach (var (m, n, k) in Shapes)
            {
                for (int flags = 0; flags < 8; flags++)
                {
                    data.Add(m, n, k, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, kind.ToString());
                }
            }
        }

        return data;
    }

    public static TheoryData<string> Providers => GemmProviders.Supported;

    [Theory]
    [MemberData(nameof(Cases))]
    public void FloatMatchesNaive(int m, int n, int k, bool transA, bool transB, bool accumulate, string provider)
    {
        using var scope = GemmProviders.Use(provider);
        CheckAgainstNaive<float>(m, n, k, transA, transB, accumulate, 1e-4);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DoubleMatchesNaive(int m, int n, int k, bool transA, bool transB, bool accumulate, string provider)
    {
        using var scope = GemmProviders.Use(provider);
        CheckAgainstNaive<double>(m, n, k, transA, transB, accumulate, 1e-12);
    }

    /// <summary>
    /// Every element is exactly the chain <see cref="IGemmKernel"/> defines: products summed from zero in increasing p, each
    /// multiply-add rounded once (or twice, on a provider without FMA), and C added last. So fused providers agree bit for bit
    /// with each other and with the scalar reference, whatever their tiles, packing and tails.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public void EveryElementIsTheContractsChainOfRoundings(string provider)
    {
        using var scope = GemmProviders.Use(provider);
        bool fused = GemmProvider.Current.IsFused;
        foreach (var (m, n, k) in Shapes)
        {
            for (int flags = 0; flags < 8; flags++)
            {
                CheckChain<float>(m, n, k, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, fused);
                CheckChain<double>(m, n, k, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, fused);
            }
        }
    }

    [Fact]
    public void ProvidersFollowTheHardware()
    {
        Assert.Equal(GemmProvider.Supported[0], GemmProvider.Default.Kind);
        Assert.Contains(GemmKind.Scalar, GemmProvider.Supported);
        Assert.Equal(System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated, GemmProvider.IsSupported(GemmKind.Vector128));
        Assert.Equal(System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated, GemmProvider.IsSupported(GemmKind.Vector256));
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, GemmProvider.IsSupported(GemmKind.Avx512));
        bool hardwareFma = System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
        foreach (var kind in Enum.GetValues<GemmKind>())
        {
            if (GemmProvider.IsSupported(kind))
            {
                var kernel = GemmProvider.Get(kind);
                Assert.Equal(kind, kernel.Kind);
                Assert.Equal(kind is GemmKind.Scalar or GemmKind.Avx512 || hardwareFma, kernel.IsFused);
            }
            else
            {
                var error = Assert.Throws<PlatformNotSupportedException>(() => GemmProvider.Get(kind));
                Assert.Contains(kind.ToString(), error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task UseIsScopedToItsFlowOfExecution()
    {
        var outside = GemmProvider.Current;
        using (GemmProvider.Use(GemmKind.Scalar))
        {
            Assert.Equal(GemmKind.Scalar, GemmProvider.Current.Kind);
            Assert.Equal(GemmKind.Scalar, await Task.Run(() => GemmProvider.Current.Kind));
            using (GemmProvider.Use(GemmProvider.Default.Kind))
            {
                Assert.Same(GemmProvider.Default, GemmProvider.Current);
            }

            Assert.Equal(GemmKind.Scalar, GemmProvider.Current.Kind);
        }

        Assert.Same(outside, GemmProvider.Current);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Float256Cube(string provider)
    {
        using var scope = GemmProviders.Use(provider);
        CheckAgainstNaive<float>(256, 256, 256, false, false, accumulate: false, 1e-4);
        CheckAgainstNaive<float>(256, 256, 256, true, true, accumulate: false, 1e-4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EmptyReductionZeroesOrKeepsC(bool accumulate)
    {
        var c = new float[] { 1, float.NaN, 3, 4, 5, 6 };
        Gemm.Multiply<float>([], [], c, 2, 3, 0, false, false, accumulate);
        Assert.Equal(accumulate ? [1, float.NaN, 3, 4, 5, 6] : new float[6], c);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void HandComputedProduct(string provider)
    {
        using var scope = GemmProviders.Use(provider);
        // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50]
        var c = new double[4];
        Gemm.Multiply<double>([1, 2, 3, 4], [5, 6, 7, 8], c, 2, 2, 2, false, false, false);
        Assert.Equal([19, 22, 43, 50], c);

        // Aᵀ · Bᵀ with the same storage: [1 3; 2 4] · [5 7; 6 8] = [23 31; 34 46]
        Gemm.Multiply<double>([1, 2, 3, 4], [5, 6, 7, 8], c, 2, 2, 2, true, true, false);
        Assert.Equal([23, 31, 34, 46], c);
    }

    public static TheoryData<int, int, int, int, int, int, bool, bool, string> BatchedCases()
    {
        var data = new TheoryData<int, int, int, int, int, int, bool, bool, string>();
        foreach (var kind in GemmProvider.Supported)
        {
            data.Add(3, 4, 5, 6, 24, 30, false, false, kind.ToString());
            data.Add(4, 9, 17, 11, 0, 187, true, false, kind.ToString());
            data.Add(5, 33, 20, 40, 1320, 0, false, true, kind.ToString());
            data.Add(2, 1, 40, 25, 0, 0, true, true, kind.ToString());
            data.Add(64, 24, 24, 64, 1536, 1536, false, false, kind.ToString());
            data.Add(3, 30, 44, 16, 480, 0, false, true, kind.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BatchedCases))]
    public void BatchedMatchesNaive(int batch, int m, int n, int k, int aStride, int bStride, bool transA, bool transB, string provider)
    {
        using var scope = GemmProviders.Use(provider);
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

    public static TheoryData<int, int, int, string> ThreadingCases()
    {
        var data = new TheoryData<int, int, int, string>();
        foreach (var kind in GemmProvider.Supported)
        {
            data.Add(256, 256, 256, kind.ToString());
            data.Add(40, 600, 200, kind.ToString());
            data.Add(301, 67, 129, kind.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ThreadingCases))]
    public void ThreadingIsBitIdentical(int m, int n, int k, string provider)
    {
        using var scope = GemmProviders.Use(provider);
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

    [Theory]
    [MemberData(nameof(Providers))]
    public void BatchThreadingIsBitIdentical(string provider)
    {
        using var scope = GemmProviders.Use(provider);
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

    public static TheoryData<int, int, int, string> AllocationCases()
    {
        var data = new TheoryData<int, int, int, string>();
        foreach (var kind in GemmProvider.Supported)
        {
            data.Add(10, 40, 40, kind.ToString());
            data.Add(25, 1, 40, kind.ToString());
            data.Add(64, 64, 64, kind.ToString());
            data.Add(30, 29, 400, kind.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllocationCases))]
    public void SteadyStateCallsDoNotAllocate(int m, int n, int k, string provider)
    {
        using var scope = GemmProviders.Use(provider);
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

    /// <summary>Seeded operands (C starts as NaN when not accumulated) and their product by the current provider.</summary>
    private static (T[] A, T[] B, T[] C0, T[] C) SeededProduct<T>(int m, int n, int k, bool transA, bool transB, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(HashCode.Combine(m, n, k, transA, transB, accumulate));
        var a = Random<T>(rng, m * k);
        var b = Random<T>(rng, k * n);
        var c0 = Random<T>(rng, m * n);
        var c = accumulate ? (T[])c0.Clone() : Enumerable.Repeat(T.NaN, m * n).ToArray();
        Gemm.Multiply<T>(a, b, c, m, n, k, transA, transB, accumulate);
        return (a, b, c0, c);
    }

    private static void CheckAgainstNaive<T>(int m, int n, int k, bool transA, bool transB, bool accumulate, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (a, b, c0, c) = SeededProduct<T>(m, n, k, transA, transB, accumulate);
        var expected = Naive<T>(a, b, c0, m, n, k, transA, transB, accumulate, out var scale);
        AssertClose<T>(expected, scale, c, tolerance);
    }

    private static void CheckChain<T>(int m, int n, int k, bool transA, bool transB, bool accumulate, bool fused)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (a, b, c0, c) = SeededProduct<T>(m, n, k, transA, transB, accumulate);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    T x = transA ? a[(p * m) + i] : a[(i * k) + p];
                    T y = transB ? b[(j * k) + p] : b[(p * n) + j];
                    sum = fused ? T.FusedMultiplyAdd(x, y, sum) : (x * y) + sum;
                }

                T expected = accumulate ? c0[(i * n) + j] + sum : sum;
                if (expected != c[(i * n) + j])
                {
                    Assert.Fail($"[{m}x{k}]·[{k}x{n}] ({typeof(T).Name}, transA {transA}, transB {transB}, accumulate {accumulate}): element ({i}, {j}) is {c[(i * n) + j]}, the chain gives {expected}.");
                }
            }
        }
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
            if (!(error <= (tolerance * scale[i]) + double.Epsilon))
            {
                Assert.Fail($"element {i}: expected {expected[i]}, got {actual[i]} (error {error}, scale {scale[i]})");
            }
        }
    }
}
