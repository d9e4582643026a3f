namespace MetaLearn.Transfer.Features;

/// <summary>The new head that feature transfer trains on a frozen (or partly unfrozen) backbone's features.</summary>
public enum FeatureHead
{
    /// <summary>
    /// Nearest centroid (Snell et al. 2017's prototypes, on transferred features): class scores are minus the squared
    /// Euclidean distance to each class's mean feature. Nothing is trained; adaptation steps are counted and ignored.
    /// </summary>
    Prototype,

    /// <summary>A linear layer (logistic regression on the features, or linear regression for regression targets).</summary>
    Linear,

    /// <summary>A two-layer perceptron: Linear, ReLU, Linear.</summary>
    Mlp,
}
