using MetaLearn.Statistics;

namespace MultiAgentAdaptation;

/// <summary>One method's newcomer error at each number of examples seen, over many newcomers.</summary>
/// <param name="Method">The method's name.</param>
/// <param name="Errors">Errors[k][n]: newcomer n's error at the k-th number of examples.</param>
internal sealed record MethodCurve(string Method, double[][] Errors)
{
    public MeanInterval At(int k) => MeanInterval.Of(Errors[k]);
}
