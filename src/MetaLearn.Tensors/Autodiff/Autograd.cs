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
        => Grad(outputs, inputs, gradOutputs, createGraph, allowUnused, stopAtInputs: false);

    /// <summary>Convenience overload for one scalar output.</summary>
    public static Tensor?[] Grad(Tensor output, IReadOnlyList<Tensor> inputs, bool createGraph = false, bool allowUnused = false)
        => Grad([output], inputs, null, createGraph, allowUnused);

    /// <summary>
    /// Runs <paramref name="segment"/> on <paramref name="inputs"/> without keeping its graph, and records one node that
    /// runs it again in the backward pass: the memory of the segment's intermediate results (and of the graph of any
    /// gradient it takes with <c>createGraph</c>) is spent one segment at a time, in exchange for a second forward pass.
    /// </summary>
    /// <param name="segment">The computation. It may read tensors other than its arguments (they are found and get their
    /// gradients too), may take gradients itself, and must be deterministic: the replay must return outputs of the same
    /// shapes and values. It must not keep any tensor it creates other than its outputs.</param>
    /// <param name="inputs">The arguments passed to <paramref name="segment"/>, in the forward pass and again in the replay.</param>
    /// <param name="generators">Generators the segment draws from (dropout masks): their states are saved before the
    /// forward pass, set back for the replay and restored after it, so the replay draws the same numbers and the caller's
    /// sequence is not disturbed. A generator the segment uses but that is not listed here makes the replay differ.</param>
    /// <returns>Tensors with the values of the segment's outputs (copies, of one dtype). When grad mode is off, or no tensor the
    /// outputs depend on requires grad, they are plain tensors and nothing is recorded.</returns>
    /// <remarks>
    /// <para>The classic <c>torch.utils.checkpoint</c> (Chen et al. 2016, "Training Deep Nets with Sublinear Memory Cost").
    /// The forward pass runs the segment as usual, records nothing of it beyond its outputs and the tensors from outside
    /// that they depend on, and drops its graph; the backward pass replays the segment with recording on, differentiates
    /// its outputs against the incoming gradients and drops that graph too. The values are those of the plain segment, bit
    /// for bit: both passes run the same operations on the same inputs.</para>
    /// <para>A backward pass with <c>createGraph</c> through the node is supported: the replay is then recorded and kept, so the
    /// gradients are differentiable to any order (and the memory saving is gone for that pass).</para>
    /// </remarks>
    /// <exception cref="ArgumentException">No segment, a null input or generator, or outputs that are missing, null or of
    /// different dtypes.</exception>
    /// <exception cref="InvalidOperationException">In the backward pass: the replay returned outputs that differ in number or
    /// shape from the first run.</exception>
    public static Tensor[] Checkpoint(Func<Tensor[], Tensor[]> segment, IReadOnlyList<Tensor> inputs, IReadOnlyList<Generator>? generators = null)
        => Ops.Checkpoint.Apply(segment, inputs, generators);

    /// <summary>
    /// <see cref="Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor?}?, bool, bool)"/>, optionally
    /// stopping at the inputs: with <paramref name="stopAtInputs"/> the walk does not continue into the history of an input,
    /// which is right when no input depends on another (a checkpoint's replay, whose inputs are older than it).
    /// </summary>
    internal static Tensor?[] Grad(
        IReadOnlyList<Tensor> outputs,
        IReadOnlyList<Tensor> inputs,
        IReadOnlyList<Tensor?>? gradOutputs,
        bool createGraph,
        bool allowUnused,
        bool stopAtInputs)
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

        var (grads, handedOut) = Run(outputs, gradOutputs, createGraph, keep, minInputId, keepAllLeaves: false, stopAtInputs);
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

    /// <summary>Accumulates d(output)/d(leaf) into <see cref="Tensor.Grad"/> of every leaf that requires grad.</summary>
    internal static void Backward(Tensor output, Tensor? gradOutput, bool createGraph)
    {
        var (grads, handedOut) = Run([output], gradOutput is null ? null : [gradOutput], createGraph, null, long.MinValue, keepAllLeaves: true,
            stopAtKept: false);
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
        bool keepAllLeaves,
        bool stopAtKept)
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
            if (node is null || (stopAtKept && retained) || AllOlder(node.Inputs, minInputId))
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

    /// <summary>
    /// Whether every input of a node is older than every requested input: the gradients its rule would compute could only be
    /// dropped, so the rule is not run (the update that made an inner step's weights, a checkpoint's packed outputs).
    /// </summary>
    private static bool AllOlder(Tensor[] inputs, long minInputId)
    {
        foreach (var input in inputs)
        {
            if (input.Id >= minInputId)
            {
                return false;
            }
        }

        return true;
    }
}
