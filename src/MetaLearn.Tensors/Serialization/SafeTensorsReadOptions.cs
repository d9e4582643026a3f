using System.Globalization;

namespace MetaLearn.Tensors.Serialization;

/// <summary>Limits applied by a <see cref="SafeTensorsReader"/>.</summary>
public sealed class SafeTensorsReadOptions
{
    private long? _maxTotalBytes;

    /// <summary>
    /// The most tensor bytes (as stored in the file) the reader may read over its lifetime, or <see langword="null"/> (the
    /// default) for no cap beyond the file's own size. A read that would pass the cap fails before anything is allocated.
    /// Converting to a wider type (F16 to float, say) allocates up to 8 times the bytes read.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long? MaxTotalBytes
    {
        get => _maxTotalBytes;
        init
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(MaxTotalBytes), value,
                        string.Create(CultureInfo.InvariantCulture, $"{nameof(MaxTotalBytes)} must be non-negative (or null for no cap), got {value}."));
            }

            _maxTotalBytes = value;
        }
    }
}
