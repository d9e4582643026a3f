using MetaLearn.MetaLearning;
using Microsoft.ML;

namespace MetaLearn.ML;

/// <summary>MetaLearn's entry in ML.NET's catalogs: <c>mlContext.Transforms.FewShotClassifier(...)</c>.</summary>
public static class FewShotCatalog
{
    /// <summary>
    /// A few-shot classifier: fitted on a handful of labelled rows with a learner from <paramref name="createLearner"/>
    /// (for instance a trained <c>PrototypicalNetworks</c>' or <c>Maml</c>'s <c>CreateLearner</c>), it adds the predicted
    /// label and class probabilities to each row.
    /// </summary>
    /// <param name="catalog">The context's transforms catalog.</param>
    /// <param name="createLearner">Makes a fresh learner for each fit (a meta-learner's <c>CreateLearner</c>).</param>
    /// <param name="options">The columns, the example shape and the adaptation steps; null for the defaults.</param>
    public static FewShotClassifierEstimator FewShotClassifier(
        this TransformsCatalog catalog,
        Func<ILearner> createLearner,
        FewShotClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(createLearner);
        return new FewShotClassifierEstimator(new MLContext(seed: 0), createLearner, options ?? new FewShotClassifierOptions());
    }
}
