namespace MetaLearn.MetaLearning;

/// <summary>
/// A learner whose predictions are one module's forward pass: after <see cref="ILearner.Condition"/> (and any
/// <see cref="ILearner.Adapt"/>), <see cref="AdaptedModel"/> returns that module with the weights the learner holds, so
/// the adapted model can be exported. MAML and its variants, Reptile, prototypical networks (with the support prototypes
/// as a <see cref="Metric.PrototypeDistanceHead"/>) and <see cref="Transfer.FineTuning.FineTuneLearner"/> hand out such learners.
/// </summary>
public interface IAdaptedModelLearner : ILearner
{
    /// <summary>The module and weights the learner predicts with now: its <c>Forward</c> equals <see cref="ILearner.Predict"/>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="ILearner.Condition"/> has not been called.</exception>
    AdaptedModel AdaptedModel();
}
