namespace MetaLearn.Tensors.Serialization;

/// <summary>
/// Thrown when safetensors data is malformed, inconsistent, or uses a feature this library does not
/// support (such as a packed sub-byte dtype), or that passes a reader's byte cap. The message names the file (when
/// loading from a path), the tensor (when the problem belongs to one) and what is wrong.
/// </summary>
public sealed class SafeTensorsFormatException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public SafeTensorsFormatException()
        : base("Invalid safetensors data.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The complete error message.</param>
    public SafeTensorsFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The complete error message.</param>
    /// <param name="innerException">The error that revealed the problem.</param>
    public SafeTensorsFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal SafeTensorsFormatException(string problem, string? filePath, string? tensorName, Exception? innerException = null)
        : base(ComposeMessage(problem, filePath, tensorName), innerException)
    {
        FilePath = filePath;
        TensorName = tensorName;
    }

    /// <summary>The path of the file being loaded, or <see langword="null"/> when loading from a stream.</summary>
    public string? FilePath { get; }

    /// <summary>The name of the tensor the problem belongs to, or <see langword="null"/> when it concerns the file as a whole.</summary>
    public string? TensorName { get; }

    private static string ComposeMessage(string problem, string? filePath, string? tensorName)
    {
        var where = filePath is null ? "Invalid safetensors data" : $"Invalid safetensors file '{filePath}'";
        if (tensorName is not null)
        {
            where += $", tensor {SafeTensorsText.Quote(tensorName)}";
        }

        return $"{where}: {problem}";
    }
}
