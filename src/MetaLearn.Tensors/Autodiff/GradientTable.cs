using System.Diagnostics.CodeAnalysis;
using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors.Autodiff;

/// <summary>
/// The bookkeeping of one backward pass: the running gradient of every tensor reached so far, the order in which they are
/// completed (decreasing <see cref="Tensor.Id"/>), which sums may still be added into in place, and which buffers can go
/// back to the allocation scope's pool. <see cref="Autograd"/>'s walk asks it for the next complete gradient and hands it
/// the contributions of each backward rule.
/// </summary>
internal sealed class GradientTable
{
    private readonly Dictionary<Tensor, Tensor> _grads = new(ReferenceEqualityComparer.Instance);
    private readonly PriorityQueue<Tensor, long> _queue = new();

    // The storages of the sums this pass created that nothing else has seen yet: only these may be accumulated into in
    // place. A sum stops being owned when it is handed to a backward rule, since the rule may pass it on unchanged or as a
    // view (add, subtract, a reshape) to several inputs, and when it is handed to the caller. Counting by storage rather
    // than by tensor covers views. With createGraph nothing is written in place at all.
    private readonly HashSet<Array>? _owned;

    // Without a recorded graph nothing but this table refers to a gradient, so a buffer that no entry uses any more can go
    // back to the allocation scope's pool at once (see GradientBuffers).
    private readonly GradientBuffers? _buffers;

    /// <summary>An empty table for a pass that records its operations (<paramref name="createGraph"/>) or not.</summary>
    public GradientTable(bool createGraph)
    {
        _owned = createGraph ? null : new HashSet<Array>(ReferenceEqualityComparer.Instance);
        _buffers = !createGraph && AllocationScope.IsActive ? new GradientBuffers(AllocationScope.Mark) : null;
    }

    /// <summary>The gradients still held: after the pass, those of the retained tensors (and whatever was not reached).</summary>
    public Dictionary<Tensor, Tensor> Entries => _grads;

    /// <summary>The next tensor whose gradient is complete: every tensor created after it has been visited.</summary>
    public bool TryNext([NotNullWhen(true)] out Tensor? tensor) => _queue.TryDequeue(out tensor, out _);

    /// <summary>
    /// The complete gradient of <paramref name="tensor"/>, from now on no longer the table's to add into: removed from the
    /// table unless <paramref name="retained"/> (a gradient the caller asked for).
    /// </summary>
    public Tensor Complete(Tensor tensor, bool retained)
    {
        Tensor gradient;
        if (retained)
        {
            gradient = _grads[tensor];
        }
        else
        {
            _grads.Remove(tensor, out var removed);
            gradient = removed!;
            _buffers?.Forget(gradient);
        }

        // Handed to a rule or the caller, or its buffer goes back to the pool, from which it may come back as another tensor.
        _owned?.Remove(gradient.Storage);
        return gradient;
    }

    /// <summary>Adds <paramref name="gradient"/> to the running gradient of <paramref name="tensor"/> (its first one queues it).</summary>
    public void Add(Tensor tensor, Tensor gradient)
    {
        if (_grads.TryGetValue(tensor, out var existing))
        {
            if (_owned is not null && _owned.Contains(existing.Storage) && !ReferenceEquals(existing.Storage, gradient.Storage))
            {
                // A weight used many times (a shared layer, an unrolled loop): add into the running sum, allocating nothing.
                Kernels.Broadcasting.AddInPlace(existing, gradient);
                _buffers?.Candidate(gradient);
            }
            else
            {
                var sum = existing + gradient;
                _owned?.Remove(existing.Storage);
                _owned?.Add(sum.Storage);
                _grads[tensor] = sum;
                _buffers?.Use(sum);
                _buffers?.Forget(existing);
                _buffers?.Candidate(existing);
                _buffers?.Candidate(gradient);
            }
        }
        else
        {
            _grads[tensor] = gradient;
            _buffers?.Use(gradient);
            _queue.Enqueue(tensor, -tensor.Id);
        }
    }

    /// <summary>A tensor the pass is done with: its buffer returns to the pool at the next <see cref="ReleaseUnused"/> unless an entry uses it.</summary>
    public void Discard(Tensor gradient) => _buffers?.Candidate(gradient);

    /// <summary>Returns the buffers of the discarded tensors that no entry uses to the pool (after a node's inputs are all added).</summary>
    public void ReleaseUnused() => _buffers?.ReleaseUnused();
}
