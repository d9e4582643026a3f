using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// A differentiable penalty on a model's weights (in <see cref="NN.Module.Parameters"/> order), added to a task's loss
/// wherever weights are adapted: L2-SP toward source weights for fine-tuning, an L2 penalty, a proximal term.
/// </summary>
/// <param name="weights">The weights being adapted, one tensor per model parameter.</param>
/// <returns>A scalar tensor.</returns>
public delegate Tensor ParameterPenalty(IReadOnlyList<Tensor> weights);
