using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>Shape formatting and checks shared by the layers and losses for their error messages.</summary>
internal static class ShapeText
{
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    public static string Format(Tensor tensor) => Format(tensor.Shape.AsSpan());

    public static bool SameShape(Tensor a, Tensor b) => a.Shape.AsSpan().SequenceEqual(b.Shape.AsSpan());
}
