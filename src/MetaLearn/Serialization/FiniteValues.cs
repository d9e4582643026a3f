using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace MetaLearn.Serialization;

/// <summary>The check that keeps NaN and infinite values out of loaded weights.</summary>
internal static class FiniteValues
{
    /// <summary>Throws unless every value is finite, naming the file, the tensor and the first offending element.</summary>
    /// <param name="values">The values about to be loaded.</param>
    /// <param name="path">The user's path, for the message.</param>
    /// <param name="name">The tensor's name.</param>
    /// <param name="remedy">What the caller can do instead, ending the message.</param>
    /// <exception cref="InvalidDataException">A value is NaN or infinite.</exception>
    public static void Require<T>(ReadOnlySpan<T> values, string path, string name, string remedy)
        where T : IFloatingPointIeee754<T>
    {
        if (TensorPrimitives.IsFiniteAll(values))
        {
            return;
        }

        var index = 0;
        while (T.IsFinite(values[index]))
        {
            index++;
        }

        throw new InvalidDataException(string.Create(
            CultureInfo.InvariantCulture,
                $"Checkpoint '{path}': tensor '{name}' holds {values[index]} at element {index}; non-finite values are not loaded ({remedy})."));
    }
}
