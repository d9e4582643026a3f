using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.MetaLearning;

/// <summary>A learner that starts from Reptile's initialization and adapts with Reptile's inner optimizer.</summary>
internal sealed class ReptileLearner : ILearner
{
    private readonly Reptile _reptile;
    private readonly IReadOnlyList<Tensor> _initial;
    private IReadOnlyList<Tensor> _weights;

    public ReptileLearner(Reptile reptile, IReadOnlyList<Tensor> initial)
    {
        _reptile = reptile;
        _initial = initial;
        _weights = initial;
    }

    public void Adapt(Examples support, int steps) => _weights = _reptile.TrainOnTask(_weights, support, steps);

    public Tensor Predict(Tensor inputs)
    {
        using var scope = Tensor.NoGrad();
        return _reptile.Model.Forward(inputs, _weights);
    }

    public void Reset() => _weights = _initial;
}
