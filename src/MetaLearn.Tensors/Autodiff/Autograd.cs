using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors.Autodiff;

/// <summary>The reverse-mode engine: walks a recorded graph from outputs back to inputs.</summary>
/// <remarks>
/// Nodes are visited in decreasing creation order (<see cref="Tensor.Id"/>), which is a topological order
/// because an operation's output is always created after its inputs. When a tensor is popped, every consumer
/// has already added its contribution, so its gradient is complete and can be released. The engine holds no
/// shared state, so independent graphs can be differentiated on different threads at once.
/// </remarks>
public static class Autograd
{
    /// <summary>
    /// Returns d(sum of outputs·gradOutputs)/d(input) for each input, without touching any <see cref="Tensor.Grad"/>.
    /// </summary>
    /// <param name="outputs">Tensors to differentiate; each must require grad. Without <paramref name="gradOutputs"/> each must have one element.</param>
    /// <param name="inputs">Tensors to differentiate with respect to (leaves or intermediate results).</param>
    /// <param name="gradOutputs">The vector of the vector-Jacobian product per output (null entries mean ones), shaped like the outputs.</param>
    /// <param name="createGraph">Record the backward pass so the returned gradients can be differentiated again (second-order MAML).
    /// When false, nothing is recorded and the results are plain tensors.</param>
    /// <param name="allowUnused">When true, an input with no path from the outputs gets a null gradient; when false it is an error.</param>
    /// <returns>One gradient per input, shaped like the input (null only for unused inputs with <paramref name="allowUnused"/>).</returns>
    public static Tensor?[] Grad(
        IReadOnlyList<Tensor> outputs,
        IReadOnlyList<Tensor> inputs,
        IReadOnlyList<Tensor?>? gradOutputs = null,
        bool createGraph = false,
        bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("Grad: no inputs were given.", nameof(inputs));
        }

        var keep = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        long minInputId = long.MaxValue;
        for (int i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i] ?? throw new ArgumentNullException(nameof(inputs), $"Grad: input {i} is null.");
            keep.Add(input);
            minInputId = Math.Min(minInputId, input.Id);
        }

        var (grads, handedOut) = Run(outputs, gradOutputs, createGraph, keep, minInputId, keepAllLeaves: false);
        using var scope = new GradModeScope(createGraph);
        var result = new Tensor?[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            if (grads.TryGetValue(inputs[i], out var g))
            {
                // The same input listed twice, or two inputs whose gradient is one tensor (a + b hands its gradient to both,
                // or the caller's seed comes straight back): give each result a buffer of its own, so that a caller who
                // changes one in place (clipping) cannot change another.
                result[i] = HandOut(handedOut, g, createGraph);
            }
            else if (!allowUnused)
            {
                throw new ArgumentException(
                    $"Grad: input {i} {Shapes.Format(inputs[i].ShapeArray)} has no path from the outputs (it does not require grad or was "
                        + $"not used). Pass allowUnused: true to get null instead.",
                    nameof(inputs));
            }
        }

        return result;
    }

    /// <summary>Convenience overload for one scalar output.</summary>
    public static Tensor?[] Grad(Tensor output, IReadOnlyList<Tensor> inputs, bool createGraph = false, bool allowUnused = false)
        => Grad([output], inputs, null, createGraph, allowUnused);

    /// <summary>Accumulates d(output)/d(leaf) into <see cref="Tensor.Grad"/> of every leaf that requires grad.</summary>
    internal static void Backward(Tensor output, Tensor? gradOutput, bool createGraph)
    {
        var (grads, handedOut) = Run([output], gradOutput is null ? null : [gradOutput], createGraph, null, long.MinValue, keepAllLeaves: true);
        using var scope = new GradModeScope(createGraph);
        foreach (var (tensor, g) in grads)
        {
            if (tensor.IsLeaf)
            {
                // A backward rule may hand the same tensor to several inputs (add does), or return the caller's seed: give
                // each leaf a gradient of its own, so that in-place changes to one .Grad (clipping) cannot reach another.
                tensor.Grad = tensor.Grad is null ? HandOut(handedOut, g, createGraph) : tensor.Grad + g;
            }
        }
    }

    /// <summary>
    /// Gives a gradient to the caller: as it is the first time its storage is handed out, as a copy when another result
    /// already holds that storage or it is a caller's seed. With <paramref name="createGraph"/> the copy is recorded (an exact
    /// multiplication by 1), so that it stays differentiable.
    /// </summary>
    private static Tensor HandOut(HashSet<Array> handedOut, Tensor gradient, bool createGraph)
        => handedOut.Add(gradient.Storage) ? gradient : createGraph ? Ops.Elementwise.MultiplyScalar(gradient, 1) : gradient.Clone();

    /// <summary>
    /// The backward pass. Returns the gradient table and the set of storages the caller must not receive uncopied (the
    /// seeds), to which <see cref="HandOut"/> adds each storage it gives away.
    /// </summary>
    private static (Dictionary<Tensor, Tensor> Grads, HashSet<Array> HandedOut) Run(
        IReadOnlyList<Tensor> outputs,
        IReadOnlyList<Tensor?>? gradOutputs,
        bool createGraph,
        HashSet<Tensor>? keep,
        long minInputId,
        bool keepAllLeaves)
    {
        if (outputs.Count == 0)
        {
            throw new ArgumentException("Grad: no outputs were given.", nameof(outputs));
        }

        if (gradOutputs is not null && gradOutputs.Count != outputs.Count)
        {
            throw new ArgumentException($"Grad: {gradOutputs.Count} output gradients given for {outputs.Count} outputs.", nameof(gradOutputs));
        }

        using var scope = new GradModeScope(createGraph);
        var table = new GradientTable(createGraph);
        var seeds = new HashSet<Array>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < outputs.Count; i++)
        {
            var output = outputs[i] ?? throw new ArgumentNullException(nameof(outputs), $"Grad: output {i} is null.");
            if (!output.RequiresGrad)
            {
                throw new ArgumentException($"Grad: output {i} {Shapes.Format(output.ShapeArray)} does not require grad (no input of its "
                    + $"graph requires grad, or it was computed under NoGrad).", nameof(outputs));
            }

            var seed = gradOutputs?[i];
            if (seed is null)
            {
                if (output.Count != 1)
                {
                    throw new ArgumentException($"Grad: output {i} has shape {Shapes.Format(output.ShapeArray)}; a gradient can be implied "
                        + $"only for a one-element output. Pass gradOutputs.", nameof(outputs));
                }

                seed = Tensor.Full(output.ShapeArray, 1.0, output.DType);
            }
            else if (!ShapeHelper.SameShape(seed.ShapeArray, output.ShapeArray) || seed.DType != output.DType)
            {
                throw new ArgumentException($"Grad: gradOutputs[{i}] {Shapes.Format(seed.ShapeArray)} {seed.DType} does not match output "
                    + $"{Shapes.Format(output.ShapeArray)} {output.DType}.", nameof(gradOutputs));
            }

            seeds.Add(seed.Storage);
            table.Add(output, seed);
        }

        table.ReleaseUnused();
        while (table.TryNext(out var tensor))
        {
            if (tensor.Id < minInputId)
            {
                // Everything left is older than every requested input, so it cannot lead to one.
                break;
            }

            var node = tensor.Node;
            bool retained = keep is not null ? keep.Contains(tensor) : keepAllLeaves && node is null;
            var gradient = table.Complete(tensor, retained);
            if (node is null)
            {
                table.Discard(gradient);
                table.ReleaseUnused();
                continue;
            }

            var inputs = node.Inputs;
            var inputGrads = new Tensor?[inputs.Length];
            node.Backward(tensor, gradient, inputGrads);
            for (int i = 0; i < inputs.Length; i++)
            {
                var g = inputGrads[i];
                var input = inputs[i];
                if (g is null || !input.RequiresGrad)
                {
                    if (g is not null)
                    {
                        table.Discard(g);
                    }

                    continue;
                }

                if (g.DType != input.DType)
                {
                    throw new InvalidOperationException($"Backward of '{node.Name}' produced a {g.DType} gradient for {input.DType} input {i}.");
                }

                var reduced = Ops.SumToShape.Apply(g, input.ShapeArray, node.Name);
                table.Add(input, reduced);
                if (!ReferenceEquals(reduced, g))
                {
                    table.Discard(g);
                }
            }

            table.Discard(gradient);
            table.ReleaseUnused();
        }

        return (table.Entries, seeds);
    }
}
