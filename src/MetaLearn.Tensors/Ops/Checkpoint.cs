using MetaLearn.Tensors.Autodiff;
using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors.Ops;

/// <summary>
/// A segment whose graph is not kept (<see cref="Autograd.Checkpoint"/>): the node's output is its outputs packed end to
/// end into one flat tensor, from which <see cref="CheckpointOutput"/> nodes hand each out; its backward pass replays the
/// segment with recording on and differentiates the replay.
/// </summary>
/// <remarks>
/// <para>The node's inputs are the tensors from outside the segment that its outputs depend on and that require grad: its
/// arguments and anything it read from elsewhere (a learned rate, a weight that is not adapted). They are found by
/// walking the first run's graph from the outputs down to the tensors older than the segment, so none can be missed.</para>
/// <para>Packing gives the engine one tensor to complete: it reaches this node only once every output's gradient has been
/// added (outputs whose gradient never comes contribute zeros), so one replay serves all outputs.</para>
/// <para>When an allocation scope is open, the first run and the replay each run in a scope of their own, closed as soon as
/// the outputs (or the gradients) are copied out: a segment's intermediate results then go back to the pool at once
/// instead of living until the task's scope ends, which is what keeps the memory to one segment at a time.</para>
/// </remarks>
internal sealed class Checkpoint : Node
{
    private readonly Func<Tensor[], Tensor[]> _segment;
    private readonly Tensor[] _arguments;
    private readonly int[][] _shapes;
    private readonly Generator[] _generators;
    private readonly GeneratorState[] _states;

    private Checkpoint(Func<Tensor[], Tensor[]> segment, Tensor[] arguments, Tensor[] inputs, int[][] shapes, Generator[] generators,
        GeneratorState[] states)
        : base("checkpoint", inputs)
    {
        _segment = segment;
        _arguments = arguments;
        _shapes = shapes;
        _generators = generators;
        _states = states;
    }

    public static Tensor[] Apply(Func<Tensor[], Tensor[]> segment, IReadOnlyList<Tensor> inputs, IReadOnlyList<Generator>? generators)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentNullException.ThrowIfNull(inputs);
        var arguments = new Tensor[inputs.Count];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = inputs[i] ?? throw new ArgumentException($"Checkpoint: input {i} is null.", nameof(inputs));
        }

        var sources = generators?.ToArray() ?? [];
        for (int i = 0; i < sources.Length; i++)
        {
            _ = sources[i] ?? throw new ArgumentException($"Checkpoint: generator {i} is null.", nameof(generators));
        }

        if (!GradMode.IsEnabled)
        {
            return Run(segment, arguments);
        }

        var states = Array.ConvertAll(sources, g => g.GetState());
        long mark = Tensor.LastId;
        Tensor packed;
        Tensor[] raw;
        Tensor[] foreign;
        using (var scope = AllocationScope.IsActive ? AllocationScope.Begin() : null)
        {
            raw = Run(segment, arguments);
            foreign = Foreign(raw, mark);
            using (AllocationScope.Suspend())
            {
                if (foreign.Length == 0)
                {
                    // Nothing from outside that requires grad reaches the outputs: they are constants.
                    return scope is null ? raw : Array.ConvertAll(raw, t => t.Clone());
                }

                packed = Pack(raw);
            }
        }

        var shapes = Array.ConvertAll(raw, t => t.ShapeArray);
        packed.WithNode(new Checkpoint(segment, arguments, foreign, shapes, sources, states));
        var outputs = new Tensor[raw.Length];
        int offset = 0;
        for (int j = 0; j < raw.Length; j++)
        {
            outputs[j] = CheckpointOutput.Apply(packed, offset, shapes[j]);
            offset += raw[j].Count;
        }

        return outputs;
    }

    public override void Backward(Tensor output, Tensor g, Tensor?[] grads)
    {
        // With createGraph the replay stays recorded, so the gradients are differentiable with respect to the inputs and to g.
        bool createGraph = GradMode.IsEnabled;
        var current = Array.ConvertAll(_generators, x => x.GetState());
        try
        {
            for (int i = 0; i < _generators.Length; i++)
            {
                _generators[i].SetState(_states[i]);
            }

            // The gradients outlive the replay's scope: their buffers come from the caller's scope, before the replay opens its own.
            var destinations = !createGraph && AllocationScope.IsActive ? Array.ConvertAll(Inputs, x => Tensor.Empty(x.ShapeArray, x.DType)) : null;
            using var scope = destinations is not null ? AllocationScope.Begin() : null;
            Tensor[] replay;
            using (Tensor.EnableGrad())
            {
                replay = Run(_segment, _arguments);
            }

            var roots = new List<Tensor>();
            var seeds = new List<Tensor?>();
            int offset = 0;
            for (int j = 0; j < replay.Length; j++)
            {
                if (j >= _shapes.Length || !ShapeHelper.SameShape(replay[j].ShapeArray, _shapes[j]) || replay[j].DType != output.DType)
                {
                    throw new InvalidOperationException($"Checkpoint: the replay returned output {j} {Shapes.Format(replay[j].ShapeArray)} "
                        + $"{replay[j].DType} where the first run returned {(j < _shapes.Length ? Shapes.Format(_shapes[j]) : "nothing")}; "
                        + "the segment must be deterministic (pass the generators it draws from).");
                }

                int count = replay[j].Count;
                if (replay[j].RequiresGrad)
                {
                    roots.Add(replay[j]);
                    seeds.Add(Reshape.Apply(count == g.Count ? g : Slice(g, offset, count, createGraph), _shapes[j]));
                }

                offset += count;
            }

            if (replay.Length != _shapes.Length)
            {
                throw new InvalidOperationException($"Checkpoint: the replay returned {replay.Length} outputs where the first run returned "
                    + $"{_shapes.Length}; the segment must be deterministic.");
            }

            if (roots.Count == 0)
            {
                return;
            }

            var result = Autograd.Grad(roots, Inputs, seeds, createGraph, allowUnused: true, stopAtInputs: true);
            for (int i = 0; i < result.Length; i++)
            {
                if (destinations is not null && result[i] is { } gradient)
                {
                    Array.Copy(gradient.Storage, destinations[i].Storage, gradient.Count);
                    grads[i] = destinations[i];
                }
                else
                {
                    grads[i] = result[i];
                }
            }
        }
        finally
        {
            for (int i = 0; i < _generators.Length; i++)
            {
                _generators[i].SetState(current[i]);
            }
        }
    }

    private static Tensor[] Run(Func<Tensor[], Tensor[]> segment, Tensor[] arguments)
    {
        var outputs = segment([.. arguments]) ?? throw new ArgumentException("Checkpoint: the segment returned null.", nameof(segment));
        if (outputs.Length == 0)
        {
            throw new ArgumentException("Checkpoint: the segment returned no outputs.", nameof(segment));
        }

        for (int j = 0; j < outputs.Length; j++)
        {
            if (outputs[j] is null)
            {
                throw new ArgumentException($"Checkpoint: the segment's output {j} is null.", nameof(segment));
            }

            if (outputs[j].DType != outputs[0].DType)
            {
                throw new ArgumentException($"Checkpoint: the segment's output {j} is {outputs[j].DType} and output 0 is {outputs[0].DType}; "
                    + "the outputs must share one dtype.", nameof(segment));
            }
        }

        return outputs;
    }

    /// <summary>The tensors older than <paramref name="mark"/> that require grad and that the outputs' graph reaches, in the order found.</summary>
    private static Tensor[] Foreign(Tensor[] outputs, long mark)
    {
        var found = new List<Tensor>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Tensor>(outputs.Reverse());
        while (pending.TryPop(out var tensor))
        {
            if (!tensor.RequiresGrad || !seen.Add(tensor))
            {
                continue;
            }

            if (tensor.Id <= mark)
            {
                found.Add(tensor);
            }
            else if (tensor.Node is { } node)
            {
                for (int i = node.Inputs.Length - 1; i >= 0; i--)
                {
                    pending.Push(node.Inputs[i]);
                }
            }
        }

        return [.. found];
    }

    /// <summary>The outputs' values end to end in one flat tensor.</summary>
    private static Tensor Pack(Tensor[] outputs)
    {
        long total = outputs.Sum(t => (long)t.Count);
        if (total > int.MaxValue)
        {
            throw new ArgumentException($"Checkpoint: the segment's outputs hold {total} elements, more than one tensor can.", nameof(outputs));
        }

        var packed = Tensor.Empty([(int)total], outputs[0].DType);
        int offset = 0;
        foreach (var t in outputs)
        {
            Array.Copy(t.Storage, 0, packed.Storage, offset, t.Count);
            offset += t.Count;
        }

        return packed;
    }

    /// <summary>Elements [offset, offset + count) of a flat tensor: copied, or with <see cref="IndexSelect"/> when recorded.</summary>
    private static Tensor Slice(Tensor flat, int offset, int count, bool recorded)
    {
        if (!recorded)
        {
            var part = Tensor.Empty([count], flat.DType);
            Array.Copy(flat.Storage, offset, part.Storage, 0, count);
            return part;
        }

        var indices = new int[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = offset + i;
        }

        return IndexSelect.Apply(flat, 0, indices);
    }
}
