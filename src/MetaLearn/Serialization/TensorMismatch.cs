using System.Collections.Immutable;
using MetaLearn.Tensors.Serialization;
using MetaLearn.Tensors;

namespace MetaLearn.Serialization;

/// <summary>A tensor that a checkpoint and a module both name, but with another shape or an unconverted dtype.</summary>
/// <param name="Name">The dotted name.</param>
/// <param name="FileDType">The dtype stored in the file.</param>
/// <param name="FileShape">The shape stored in the file.</param>
/// <param name="ModuleDType">The module's dtype (<see cref="SafeTensorsDType.Int64"/> for a counter).</param>
/// <param name="ModuleShape">The module's shape (empty for a counter).</param>
public sealed record TensorMismatch(string Name, SafeTensorsDType FileDType, ImmutableArray<int> FileShape, SafeTensorsDType ModuleDType,
    ImmutableArray<int> ModuleShape)
{
    /// <summary>Whether the shapes differ (otherwise only the dtypes do).</summary>
    public bool ShapeDiffers => !FileShape.SequenceEqual(ModuleShape);

    /// <summary>A sentence naming the tensor and both dtypes and shapes, e.g. <c>'classifier.weight' is F32 [5, 64] in the file; the module expects
    /// F32 [20, 64]</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"'{Name}' is {FileDType.ToHeaderString()} {Shapes.Format(FileShape)} in the file; the module expects "
            + $"{ModuleDType.ToHeaderString()} {Shapes.Format(ModuleShape)}";
}
