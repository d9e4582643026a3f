using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Computes the gradient of this tensor with respect to every leaf that requires grad and adds it to the leaf's
    /// <see cref="Grad"/>. For the gradients of chosen inputs without side effects, use
    /// <see cref="Autograd.Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor?}?, bool, bool)"/>.
    /// </summary>
    /// <param name="gradient">The output gradient; may be omitted for a one-element tensor (it is then 1).</param>
    /// <param name="createGraph">Record the backward pass so the accumulated gradients are differentiable.</param>
    /// <remarks>Accumulation into <see cref="Grad"/> is not synchronized: call it for a given set of leaves from one thread at a time.</remarks>
    public void Backward(Tensor? gradient = null, bool createGraph = false) => Autograd.Backward(this, gradient, createGraph);

    /// <summary>Stops recording on the current thread until the returned scope is disposed.</summary>
    /// <example><code>using (Tensor.NoGrad()) { parameter.Data... }</code></example>
    public static GradModeScope NoGrad() => new(false);

    /// <summary>Turns recording back on (inside a <see cref="NoGrad"/> region) until the returned scope is disposed.</summary>
    public static GradModeScope EnableGrad() => new(true);

    /// <summary>Whether operations on the current thread are being recorded.</summary>
    public static bool IsGradEnabled => GradMode.IsEnabled;
}
