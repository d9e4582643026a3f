using MetaLearn.Tensors.Internal;

namespace MetaLearn.Tensors.Autodiff;

/// <summary>
/// Which gradient buffers of a backward pass without <c>createGraph</c> are still in use, so that each one goes back to the
/// allocation scope's pool as soon as the pass is done with it: a second-order MAML task then needs the memory of its
/// largest few gradients at a time, not of all of them.
/// </summary>
/// <remarks>
/// Without a recorded graph a gradient can be referred to only by the engine's table (directly or as a view: a reshape
/// shares storage), so a storage no entry uses is dead. Buffers are counted by storage, and only those the scope rented
/// during this pass (after <c>mark</c>) are released: a seed passed in by the caller or a forward activation never is.
/// Candidates are released after each node's inputs are all accumulated, never in the middle (a rule may hand one gradient
/// to several inputs).
/// </remarks>
internal sealed class GradientBuffers(long mark)
{
    private readonly Dictionary<Array, int> _uses = new(ReferenceEqualityComparer.Instance);
    private readonly List<Tensor> _candidates = [];

    /// <summary>An entry of the table now refers to <paramref name="gradient"/>.</summary>
    public void Use(Tensor gradient) => _uses[gradient.Storage] = _uses.GetValueOrDefault(gradient.Storage) + 1;

    /// <summary>An entry that referred to <paramref name="gradient"/> is gone.</summary>
    public void Forget(Tensor gradient)
    {
        int uses = _uses.GetValueOrDefault(gradient.Storage) - 1;
        if (uses > 0)
        {
            _uses[gradient.Storage] = uses;
        }
        else
        {
            _uses.Remove(gradient.Storage);
        }
    }

    /// <summary>Marks a tensor that may have become dead; checked at the next <see cref="ReleaseUnused"/>.</summary>
    public void Candidate(Tensor gradient)
    {
        _candidates.Add(gradient);
    }

    /// <summary>Returns every candidate whose storage no entry uses to the pool.</summary>
    public void ReleaseUnused()
    {
        foreach (var candidate in _candidates)
        {
            if (!_uses.ContainsKey(candidate.Storage))
            {
                AllocationScope.Recycle(candidate, mark);
            }
        }

        _candidates.Clear();
    }
}
