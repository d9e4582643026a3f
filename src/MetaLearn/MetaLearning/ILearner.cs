using MetaLearn.Data;
using MetaLearn.Evaluation;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>
/// A model for one task at a time: it is conditioned on the task's support set, may then adapt to it step by step, and
/// predicts on new inputs. Gradient learners (MAML, Reptile, fine-tuning) adapt by steps; metric learners (prototypical
/// networks, Siamese networks) only condition (they store prototypes or embeddings) and ignore steps.
/// </summary>
/// <remarks>
/// The protocol, which <see cref="MetaEvaluator"/> and every caller follows: <see cref="Condition"/> once per task, before
/// anything else (even when no adaptation step will be taken); then any number of <see cref="Adapt"/> calls, each
/// continuing where the last stopped (the step count and any per-step schedule continue); <see cref="Predict"/> at any
/// point after <see cref="Condition"/>. Conditioning on another support set starts again from the meta-learned state.
/// </remarks>
public interface ILearner
{
    /// <summary>Starts a task: returns to the meta-learned state and conditions on <paramref name="support"/>.</summary>
    /// <exception cref="ArgumentException">The examples are not of the kind the learner handles.</exception>
    void Condition(Examples support);

    /// <summary>Continues adapting to the conditioned support set for <paramref name="steps"/> more steps (0 is allowed).</summary>
    /// <exception cref="InvalidOperationException"><see cref="Condition"/> has not been called.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is negative.</exception>
    void Adapt(int steps);

    /// <summary>Adaptation steps taken since the last <see cref="Condition"/>.</summary>
    int StepsTaken { get; }

    /// <summary>Predictions for <paramref name="inputs"/>: regression outputs, or class scores [N, classes] (larger is more likely).</summary>
    /// <exception cref="InvalidOperationException"><see cref="Condition"/> has not been called.</exception>
    Tensor Predict(Tensor inputs);
}
