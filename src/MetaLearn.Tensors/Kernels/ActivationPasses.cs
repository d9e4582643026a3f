using System.Numerics;
using MetaLearn.Tensors.Kernels.Simd;

namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// Elementwise passes on one vector width (<typeparamref name="TLanes"/>): whole vectors, then the elements left over. Where the
/// width is not hardware-accelerated, only the scalar loop runs. <see cref="ActivationKernels"/> picks the width.
/// </summary>
/// <typeparam name="TLanes">The vector operations of one width.</typeparam>
/// <typeparam name="TVector">That width's vector of <typeparamref name="T"/>.</typeparam>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
internal static class ActivationPasses<TLanes, TVector, T>
    where TLanes : ISimdLanes<TVector, T>
    where TVector : unmanaged
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc cref="ActivationKernels.LeakyReluGradient{T}"/>
    public static unsafe void LeakyReluGradient(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> y, T slope)
    {
        int i = 0;
        var scale = TLanes.Create(slope);
        fixed (T* pg = g)
        fixed (T* px = x)
        fixed (T* py = y)
        {
            for (; TLanes.IsHardwareAccelerated && i + TLanes.Count <= y.Length; i += TLanes.Count)
            {
                var gv = TLanes.Load(pg + i);
                var positive = TLanes.GreaterThan(TLanes.Load(px + i), default);
                TLanes.Store(py + i, TLanes.ConditionalSelect(positive, gv, TLanes.Multiply(gv, scale)));
            }
        }

        for (; i < y.Length; i++)
        {
            y[i] = x[i] > T.Zero ? g[i] : g[i] * slope;
        }
    }
}
