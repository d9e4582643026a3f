using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Extensibility.Tests;

/// <summary>A user's own optimizer on the public API: signSGD (Bernstein et al. 2018), θ ← θ − α·sign(g), with a step counter per element as state.</summary>
public sealed class SignSgd : Optimizer
{
    private readonly double[][] _flips;

    public SignSgd(IReadOnlyList<Tensor> parameters, double learningRate)
        : base(parameters, learningRate)
    {
        _flips = [.. parameters.Select(p => new double[p.Count])];
        RegisterState("updates", _flips);
    }

    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        var p = parameter.AsSpan<float>();
        var g = gradient.AsSpan<float>();
        for (int j = 0; j < p.Length; j++)
        {
            p[j] -= (float)(LearningRate * Math.Sign(g[j]));
            _flips[index][j] += g[j] != 0 ? 1 : 0;
        }
    }
}
