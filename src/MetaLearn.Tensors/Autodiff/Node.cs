namespace MetaLearn.Tensors.Autodiff;

/// <summary>
/// One recorded operation: its inputs and its vector-Jacobian product. Each primitive op derives from this,
/// with its forward (a static <c>Apply</c>) and its backward side by side in one file.
/// </summary>
/// <remarks>
/// Backward rules are written with tensor operations, so when the engine runs them with recording on
/// (<c>createGraph: true</c>) the gradients are themselves differentiable, to any order. A rule may return a
/// gradient whose shape is broadcast-compatible with its input; the engine sums it back to the input's shape.
/// </remarks>
internal abstract class Node
{
    protected Node(string name, Tensor[] inputs)
    {
        Name = name;
        Inputs = inputs;
    }

    public string Name { get; }

    public Tensor[] Inputs { get; }

    /// <summary>Computes the gradient of each input from the gradient of the output; null where none flows.</summary>
    public abstract void Backward(Tensor output, Tensor gradOutput, Tensor?[] inputGradients);

    /// <summary>Whether input <paramref name="index"/> wants a gradient.</summary>
    protected bool Needs(int index) => Inputs[index].RequiresGrad;
}
