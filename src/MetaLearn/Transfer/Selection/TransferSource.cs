using MetaLearn.Tensors;

namespace MetaLearn.Transfer.Selection;

/// <summary>A source a target can transfer from: a name, the source task's example features (its representation), and the weights learned on it.</summary>
/// <param name="Name">What the source is, for reports.</param>
/// <param name="Features">The source task's example features [N, F] (see <see cref="TaskFeaturizer"/>).</param>
/// <param name="Weights">The model weights learned on the source task, in the target model's parameter order.</param>
public sealed record TransferSource(string Name, Tensor Features, IReadOnlyList<Tensor> Weights);
