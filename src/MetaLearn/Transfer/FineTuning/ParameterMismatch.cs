using System.Collections.Immutable;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer.FineTuning;

/// <summary>A tensor that the source and the target both name, with other shapes.</summary>
/// <param name="Name">The dotted name.</param>
/// <param name="SourceShape">Its shape in the source.</param>
/// <param name="TargetShape">Its shape in the target.</param>
public sealed record ParameterMismatch(string Name, ImmutableArray<int> SourceShape, ImmutableArray<int> TargetShape)
{
    /// <summary>A sentence naming the tensor and both shapes.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"'{Name}' is {Shapes.Format(SourceShape)} in the source and {Shapes.Format(TargetShape)} in the target";
}
