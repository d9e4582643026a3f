using MetaLearn.Tensors.Kernels;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// A differentiable elementwise unary primitive: its forward over spans (<see cref="IUnaryKernel"/>), its name in the graph,
/// and its vector-Jacobian product, side by side in one struct of <see cref="UnaryOps"/>.
/// </summary>
internal interface IUnaryOp : IUnaryKernel
{
    /// <summary>The op's name in the recorded graph and in error messages.</summary>
    static abstract string Name { get; }

    /// <summary>
    /// The gradient of x from the output's gradient <paramref name="g"/>, given the input <paramref name="x"/>, the output
    /// <paramref name="y"/> and the op's constant <paramref name="c"/>; null where none flows. Written with tensor ops, so it is
    /// differentiable again.
    /// </summary>
    static abstract Tensor? Backward(Tensor x, Tensor y, Tensor g, double c);
}
