using MetaLearn.Tensors;

namespace MetaLearn.Evaluation;

/// <summary>
/// Classifies query images given a labelled support set, in one call: the contract <see cref="OneShotEvaluator"/>
/// scores. A learner conditions on (or adapts to) the support set and labels each query.
/// </summary>
public interface IFewShotClassifier
{
    /// <summary>Predicts a label, one of <paramref name="supportLabels"/>, for every query.</summary>
    /// <param name="supportImages">The support images, [N, ...].</param>
    /// <param name="supportLabels">Their N labels.</param>
    /// <param name="queryImages">The query images, [M, ...], of the same shape per image.</param>
    /// <returns>M predicted labels.</returns>
    int[] Classify(Tensor supportImages, int[] supportLabels, Tensor queryImages);
}
