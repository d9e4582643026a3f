using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Serialization;

/// <summary>How <see cref="ModuleCheckpoint.Load(NN.Module, string, ModuleLoadOptions?)"/> matches a file to a module.</summary>
public sealed class ModuleLoadOptions
{
    private readonly IntegerBufferPolicy _integerBuffers = IntegerBufferPolicy.MapToCounters;

    /// <summary>
    /// True (the default): the file's float tensors must be exactly the module's parameters and buffers, with the same
    /// shapes and dtypes (up to <see cref="ConvertDTypes"/>); otherwise the load throws, naming every problem. False: a
    /// missing tensor keeps its value, an unknown one is ignored, and one of another shape or dtype is skipped; all are
    /// listed in the returned <see cref="LoadReport"/>. Use it to load a backbone into a model with a new head.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// Whether a tensor stored in another dtype than the module's (F16, BF16, F8, F64 into a float32 module, integers into
    /// a float parameter, ...) is converted to the module's dtype (rounding to nearest when narrowing). False by default:
    /// such a tensor is a mismatch.
    /// </summary>
    public bool ConvertDTypes { get; init; }

    /// <summary>What happens to the file's integer and boolean tensors; <see cref="IntegerBufferPolicy.MapToCounters"/> by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined policy.</exception>
    public IntegerBufferPolicy IntegerBuffers
    {
        get => _integerBuffers;
        init
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(IntegerBuffers), value,
                    $"{nameof(IntegerBuffers)} must be a defined {nameof(IntegerBufferPolicy)}.");
            }

            _integerBuffers = value;
        }
    }

    /// <summary>
    /// Whether NaN and infinite values may be loaded. False by default: a tensor holding one is rejected, naming the tensor
    /// and the element, and the module is left unchanged.
    /// </summary>
    public bool AllowNonFinite { get; init; }

    /// <summary>
    /// The most tensor bytes (as stored in the file) the load may read, or <see langword="null"/> (the default) for no cap
    /// beyond the file's own size. Only the tensors that will be used are read; a load that would pass the cap fails
    /// before allocating them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long? MaxTotalBytes
    {
        get => ReadOptions.MaxTotalBytes;
        init => ReadOptions = new SafeTensorsReadOptions { MaxTotalBytes = value };
    }

    /// <summary>The reader's limits, validated by the reader's own options.</summary>
    internal SafeTensorsReadOptions ReadOptions { get; private init; } = new();
}
