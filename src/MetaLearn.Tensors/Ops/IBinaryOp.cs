using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// A differentiable elementwise binary primitive with broadcasting: its forward over spans (<see cref="IBinaryKernel"/>), its
/// name in the graph, and its vector-Jacobian product, side by side in one struct of <see cref="BinaryOps"/>.
/// </summary>
internal interface IBinaryOp : IBinaryKernel
{
    /// <summary>The op's name in the recorded graph and in error messages.</summary>
    static abstract string Name { get; }

    /// <summary>
    /// The gradients of a and b from the output's gradient <paramref name="g"/>, each computed only when asked for
    /// (<paramref name="needA"/>, <paramref name="needB"/>); a gradient may keep the broadcast shape, the engine sums it back.
    /// Written with tensor ops, so it is differentiable again.
    /// </summary>
    static abstract (Tensor? A, Tensor? B) Backward(Tensor a, Tensor b, Tensor g, bool needA, bool needB);
}
