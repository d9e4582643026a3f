using System.Collections.Immutable;
using System.Text;

namespace MetaLearn.Tensors;

/// <summary>
/// The one way the library writes a shape in its messages, <c>[2, 3, 28, 28]</c>, and compares two tensors' shapes; use it in
/// your own error messages so they read like the library's.
/// </summary>
public static class Shapes
{
    /// <summary>Writes <paramref name="shape"/> as <c>[d0, d1, ...]</c> (<c>[]</c> for a scalar).</summary>
    /// <param name="shape">The sizes.</param>
    /// <returns>The text.</returns>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(shape[i]);
        }

        return text.Append(']').ToString();
    }

    /// <summary>Writes <paramref name="shape"/> as <c>[d0, d1, ...]</c>.</summary>
    /// <param name="shape">The sizes (a tensor's <see cref="Tensor.Shape"/>).</param>
    /// <returns>The text.</returns>
    public static string Format(ImmutableArray<int> shape) => Format(shape.AsSpan());

    /// <summary>Writes the shape of <paramref name="tensor"/> as <c>[d0, d1, ...]</c>.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    public static string Format(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Format(tensor.Shape.AsSpan());
    }

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> have the same sizes (rank included).</summary>
    /// <param name="a">One tensor.</param>
    /// <param name="b">The other.</param>
    /// <returns>True when the shapes are equal.</returns>
    /// <exception cref="ArgumentNullException">Either tensor is null.</exception>
    public static bool Match(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Shape.AsSpan().SequenceEqual(b.Shape.AsSpan());
    }
}
