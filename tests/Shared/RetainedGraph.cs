using MetaLearn.Tensors;

namespace MetaLearn.Tests.Shared;

/// <summary>What a recorded graph keeps alive (linked into the test projects that check a checkpoint's memory).</summary>
internal static class RetainedGraph
{
    /// <summary>
    /// The bytes of every distinct storage that the graphs of <paramref name="roots"/> hold through their nodes' inputs: what
    /// stays allocated for a later backward pass. The roots' own storage is not counted.
    /// </summary>
    public static long Bytes(IEnumerable<Tensor> roots)
    {
        var storages = new HashSet<Array>(ReferenceEqualityComparer.Instance);
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Tensor>(roots.SelectMany(root => root.Node?.Inputs ?? []));
        while (pending.TryPop(out var tensor))
        {
            if (!seen.Add(tensor))
            {
                continue;
            }

            storages.Add(tensor.Storage);
            foreach (var input in tensor.Node?.Inputs ?? [])
            {
                pending.Push(input);
            }
        }

        return storages.Sum(s => (long)Buffer.ByteLength(s));
    }
}
