using System.Globalization;

namespace MetaLearn.NN;

/// <summary>
/// A non-negative integer a module keeps beside its tensors (such as batch norm's <c>num_batches_tracked</c>), registered
/// under a name so checkpoints save it as an int64 scalar, the way PyTorch does, and restore it.
/// </summary>
public sealed class ModuleCounter
{
    private long _value;

    /// <summary>The count (0 initially). Reads and writes are atomic.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value set is negative.</exception>
    public long Value
    {
        get => Interlocked.Read(ref _value);
        set
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value,
                    string.Create(CultureInfo.InvariantCulture, $"A module counter cannot be negative, got {value}."));
            }

            Interlocked.Exchange(ref _value, value);
        }
    }

    /// <summary>Adds one to the count atomically.</summary>
    public void Increment() => Interlocked.Increment(ref _value);
}
