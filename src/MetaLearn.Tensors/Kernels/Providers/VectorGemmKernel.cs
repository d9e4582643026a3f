using MetaLearn.Tensors.Kernels.Simd;

namespace MetaLearn.Tensors.Kernels.Providers;

/// <summary>
/// The matrix product on one vector width: <see cref="RegisterTiles{TLanes, TVector, T}"/> specialized for that width's
/// float and double lanes.
/// </summary>
/// <typeparam name="TSingleLanes">The width's lanes of <see cref="float"/>.</typeparam>
/// <typeparam name="TSingleVector">The width's vector of <see cref="float"/>.</typeparam>
/// <typeparam name="TDoubleLanes">The width's lanes of <see cref="double"/>.</typeparam>
/// <typeparam name="TDoubleVector">The width's vector of <see cref="double"/>.</typeparam>
/// <param name="kind">Which provider this width is.</param>
internal sealed class VectorGemmKernel<TSingleLanes, TSingleVector, TDoubleLanes, TDoubleVector>(GemmKind kind) : IGemmKernel
    where TSingleLanes : ISimdLanes<TSingleVector, float>
    where TSingleVector : unmanaged
    where TDoubleLanes : ISimdLanes<TDoubleVector, double>
    where TDoubleVector : unmanaged
{
    /// <inheritdoc/>
    public GemmKind Kind => kind;

    /// <inheritdoc/>
    public bool IsFused => TSingleLanes.IsFused && TDoubleLanes.IsFused;

    /// <inheritdoc/>
    public unsafe void MultiplyRows(float* a, float* b, float* c, int first, int last, int n, int ldb, int k, int rowStride, int columnStride, bool accumulate)
        => RegisterTiles<TSingleLanes, TSingleVector, float>.MultiplyRows(a, b, c, first, last, n, ldb, k, rowStride, columnStride, accumulate);

    /// <inheritdoc/>
    public unsafe void MultiplyRows(
        double* a, double* b, double* c, int first, int last, int n, int ldb, int k, int rowStride, int columnStride, bool accumulate)
        => RegisterTiles<TDoubleLanes, TDoubleVector, double>.MultiplyRows(a, b, c, first, last, n, ldb, k, rowStride, columnStride, accumulate);
}
