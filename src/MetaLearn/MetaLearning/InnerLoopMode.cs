namespace MetaLearn.MetaLearning;

/// <summary>What an <see cref="InnerLoop"/> records, so that a gradient can be taken through the adapted weights afterwards.</summary>
public enum InnerLoopMode
{
    /// <summary>
    /// Everything: the inner gradients are recorded (<c>createGraph: true</c>), so the adapted weights are differentiable
    /// with respect to the initial ones including the Hessian terms (second-order MAML).
    /// </summary>
    SecondOrder,

    /// <summary>
    /// The steps but not the gradients: each inner gradient is a constant, so d(adapted)/d(initial) is the identity
    /// (first-order MAML, Finn et al. 2017, section 5.2).
    /// </summary>
    FirstOrder,

    /// <summary>
    /// Nothing: each step's weights are fresh leaves, so no graph outlives a step (test-time adaptation, Reptile's inner
    /// loop, fine-tuning). The cheapest.
    /// </summary>
    Detached,
}
