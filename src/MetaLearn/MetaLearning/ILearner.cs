using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>A model that adapts to a task's support set and then predicts on new inputs.</summary>
public interface ILearner
{
    /// <summary>Continues adaptation on <paramref name="support"/> for <paramref name="steps"/> more steps.</summary>
    void Adapt(Examples support, int steps);

    /// <summary>Predictions (regression outputs or class logits) for <paramref name="inputs"/> with the adapted state.</summary>
    Tensor Predict(Tensor inputs);

    /// <summary>Returns to the state before any adaptation (the meta-learned initialization).</summary>
    void Reset();
}
