using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>A learner that starts from MAML's meta-learned weights and adapts with plain inner-loop SGD (no graph kept).</summary>
internal sealed class MamlLearner(Maml maml) : ILearner
{
    private Tensor[] _weights = [.. maml.ModelParameters];

    public void Adapt(Examples support, int steps)
    {
        var adapted = maml.Adapt(_weights, support, steps, createGraph: false);
        _weights = new Tensor[adapted.Length];
        for (int i = 0; i < adapted.Length; i++)
        {
            // Keep the adapted weights as fresh leaves so later steps differentiate from here without the old graph.
            _weights[i] = adapted[i].Detach();
            _weights[i].RequiresGrad = maml.ModelParameters[i].RequiresGrad;
        }
    }

    public Tensor Predict(Tensor inputs)
    {
        using var scope = Tensor.NoGrad();
        return maml.Model.Forward(inputs, _weights);
    }

    public void Reset() => _weights = [.. maml.ModelParameters];
}
