using System.Collections.Immutable;
using MetaLearn.Tensors.Serialization;

namespace MetaLearn.Serialization;

/// <summary>One tensor a source offers to <see cref="TensorMatcher"/>: its name, dtype and shape, and what the caller reads it from.</summary>
/// <typeparam name="TValue">A checkpoint's header entry, or a live module's tensor.</typeparam>
/// <param name="Name">The dotted name.</param>
/// <param name="DType">The dtype, as a file dtype.</param>
/// <param name="Shape">The shape.</param>
/// <param name="Value">The caller's handle on the data.</param>
internal readonly record struct TensorSource<TValue>(string Name, SafeTensorsDType DType, ImmutableArray<int> Shape, TValue Value);
