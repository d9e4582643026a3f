namespace MetaLearn.MetaLearning;

/// <summary>
/// The step weights of MAML++'s multi-step loss (Antoniou, Edwards &amp; Storkey, ICLR 2019, "How to train your MAML"):
/// the meta-objective Σₖ wₖ·L_query(θₖ) over the K inner steps, with weights annealed from uniform toward the last step.
/// </summary>
/// <remarks>
/// At progress p = t / T of the annealing period (t outer iterations done of T), every step but the last weighs
/// max((1 − p)/K, 0.03/K) and the last weighs the rest, 1 − Σ of the others: uniform 1/K at t = 0, the last step's weight
/// growing linearly until the others reach the floor 0.03/K. The paper anneals per epoch (its code moves the weights once
/// per 500 iterations); here they move every iteration along the same line. From t = T on, the weights are (0, …, 0, 1).
/// </remarks>
public static class MultiStepLoss
{
    /// <summary>The floor of a non-final step's weight, times K (the paper's 0.03).</summary>
    public const double FloorTimesSteps = 0.03;

    /// <summary>The weight of each of <paramref name="steps"/> inner steps' query losses after <paramref name="iteration"/> outer iterations.</summary>
    /// <param name="steps">K, the number of inner steps; at least 1.</param>
    /// <param name="iteration">t, the outer iterations done; non-negative.</param>
    /// <param name="annealIterations">T, the length of the annealing period; non-negative (0: the last step's loss alone).</param>
    /// <returns>K weights that sum to 1 (up to rounding), the last one last.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double[] Weights(int steps, long iteration, long annealIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(iteration);
        ArgumentOutOfRangeException.ThrowIfNegative(annealIterations);
        var weights = new double[steps];
        if (iteration >= annealIterations)
        {
            weights[^1] = 1;
            return weights;
        }

        double progress = (double)iteration / annealIterations;
        double others = 0;
        for (int k = 0; k < steps - 1; k++)
        {
            weights[k] = Math.Max((1 - progress) / steps, FloorTimesSteps / steps);
            others += weights[k];
        }

        weights[^1] = 1 - others;
        return weights;
    }
}
