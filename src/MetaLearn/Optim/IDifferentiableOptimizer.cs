using System.Diagnostics.CodeAnalysis;
using MetaLearn.Tensors;

namespace MetaLearn.Optim;

/// <summary>
/// An optimizer whose update can be recorded in the autodiff graph: <see cref="Step"/> returns new parameter tensors
/// built with tensor operations instead of writing into the old ones. With gradients from
/// <c>Autograd.Grad(..., createGraph: true)</c>, the result after k steps is differentiable with respect to the initial
/// parameters (and to anything the gradients depend on): the inner loop of MAML with several steps, or of Meta-SGD.
/// </summary>
/// <remarks>
/// The functional form follows "higher" (Grefenstette et al., 2019, "Generalized Inner Loop Meta-Learning"): the
/// optimizer's state is an explicit value passed in and returned, never mutated, so a trajectory can be replayed or
/// branched per task. The optimizer's hyperparameters (its current learning rate, momentum, betas…) are read at each call.
/// </remarks>
public interface IDifferentiableOptimizer
{
    /// <summary>The initial state (no updates yet) for <paramref name="parameters"/>.</summary>
    DifferentiableState Init(IReadOnlyList<Tensor> parameters);

    /// <summary>
    /// One update of <paramref name="parameters"/> from <paramref name="gradients"/> (same order; a null gradient leaves
    /// its parameter and that parameter's state unchanged). Inputs are never modified.
    /// </summary>
    /// <returns>The updated parameters and the state for the next step.</returns>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords",
        Justification = "Step is the name every optimizer API uses for an update; it clashes only with a Visual Basic keyword.")]
    (Tensor[] Parameters, DifferentiableState State) Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor?> gradients, DifferentiableState state);
}
