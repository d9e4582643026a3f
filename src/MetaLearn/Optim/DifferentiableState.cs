using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// The state of a differentiable optimizer between two <see cref="IDifferentiableOptimizer.Step"/> calls: per-parameter
/// update counts and named per-parameter buffers (momentum, Adam's moments) held as ordinary tensors, so they stay in the
/// autodiff graph and the whole inner trajectory θ₀ → θ₁ → … → θₖ can be differentiated. Immutable: a step returns a new state.
/// </summary>
/// <remarks>
/// A buffer entry is null until the parameter's first update (PyTorch creates optimizer state lazily too); that also
/// saves the zero tensors and the operations on them in the first step.
/// </remarks>
public sealed class DifferentiableState
{
    private readonly long[] _steps;
    private readonly Dictionary<string, Tensor?[]> _buffers;

    /// <summary>Creates a state for <paramref name="steps"/>.Count parameters.</summary>
    /// <param name="steps">The number of updates each parameter has received.</param>
    /// <param name="buffers">Named buffers, each with one (possibly null) tensor per parameter.</param>
    /// <exception cref="ArgumentException">A count is negative or a buffer list has the wrong length.</exception>
    public DifferentiableState(IReadOnlyList<long> steps, IReadOnlyDictionary<string, IReadOnlyList<Tensor?>> buffers)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(buffers);
        _steps = [.. steps];
        foreach (long s in _steps)
        {
            if (s < 0)
            {
                throw new ArgumentException("Step counts must be non-negative.", nameof(steps));
            }
        }

        _buffers = new Dictionary<string, Tensor?[]>(StringComparer.Ordinal);
        foreach (var (name, list) in buffers)
        {
            if (list is null || list.Count != _steps.Length)
            {
                throw new ArgumentException($"Buffer '{name}' must have one entry per parameter ({_steps.Length}).", nameof(buffers));
            }

            _buffers[name] = [.. list];
        }
    }

    /// <summary>The number of parameters the state describes.</summary>
    public int Count => _steps.Length;

    /// <summary>The number of updates each parameter has received (Adam's t for bias correction, SGD's first-step test).</summary>
    public IReadOnlyList<long> Steps => _steps;

    /// <summary>The names of the buffers (for example <c>momentum_buffer</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>).</summary>
    public IReadOnlyCollection<string> BufferNames => _buffers.Keys;

    /// <summary>A fresh state with zero counts and the named buffers all null, for <paramref name="count"/> parameters.</summary>
    public static DifferentiableState Empty(int count, params string[] bufferNames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(bufferNames);
        var buffers = new Dictionary<string, IReadOnlyList<Tensor?>>(StringComparer.Ordinal);
        foreach (var name in bufferNames)
        {
            buffers[name] = new Tensor?[count];
        }

        return new DifferentiableState(new long[count], buffers);
    }

    /// <summary>The buffer named <paramref name="name"/>: one tensor per parameter, null before its first update.</summary>
    /// <exception cref="KeyNotFoundException">The state has no such buffer.</exception>
    public IReadOnlyList<Tensor?> Buffer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _buffers.TryGetValue(name, out var list)
            ? list
            : throw new KeyNotFoundException($"The optimizer state has no buffer '{name}'.");
    }

    /// <summary>
    /// The same state with every buffer detached from the graph: gradients stop flowing through the history of the
    /// buffers (truncated backpropagation through the inner loop, or first-order approximations).
    /// </summary>
    public DifferentiableState Detach()
    {
        var buffers = new Dictionary<string, IReadOnlyList<Tensor?>>(StringComparer.Ordinal);
        foreach (var (name, list) in _buffers)
        {
            var detached = new Tensor?[list.Length];
            for (int i = 0; i < list.Length; i++)
            {
                detached[i] = list[i]?.Detach();
            }

            buffers[name] = detached;
        }

        return new DifferentiableState(_steps, buffers);
    }
}
