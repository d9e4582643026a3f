using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>The loss of a model's predictions on a set of examples (a scalar tensor).</summary>
/// <param name="predictions">The model's output for <c>examples.Inputs</c>.</param>
/// <param name="examples">The examples, with targets or labels.</param>
public delegate Tensor TaskLoss(Tensor predictions, Examples examples);
