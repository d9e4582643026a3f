using MetaLearn.Tensors;

namespace MetaLearn.Transfer.Selection;

/// <summary>Two tasks (their example features [N, F] and [M, F]) and how similar they are, in [0, 1]: the training example of a task metric.</summary>
/// <param name="First">The first task's features.</param>
/// <param name="Second">The second task's features.</param>
/// <param name="Similarity">1 for tasks that should be close (same group, large transfer gain), 0 for tasks that should be far; fractions in between.</param>
public sealed record TaskPair(Tensor First, Tensor Second, double Similarity);
