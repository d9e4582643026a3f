using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// The module of a <see cref="RidgeRegressionDiscriminator"/>: its three scalars "logScale" (log α), "bias" (β) and
/// "logLambda" (log λ), then "embedding.*". <see cref="Forward"/> embeds.
/// </summary>
internal sealed class RidgeRegressionModel : Module
{
    public RidgeRegressionModel(Module embedding, RidgeRegressionOptions options)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        var weights = embedding.Parameters();
        if (weights.Count == 0)
        {
            throw new ArgumentException("RidgeRegressionDiscriminator: the embedding network has no parameter.", nameof(embedding));
        }

        var dtype = weights[0].DType;
        AddParameter("logScale", Tensor.Scalar(Math.Log(options.InitialScale), dtype));
        AddParameter("bias", Tensor.Scalar(0, dtype));
        AddParameter("logLambda", Tensor.Scalar(Math.Log(options.InitialLambda), dtype));
        Embedding = AddModule("embedding", embedding);
    }

    public Module Embedding { get; }

    /// <summary>The scalars (α, β, λ) under <paramref name="parameters"/>: α and λ as exponentials, so both stay positive.</summary>
    public static (Tensor Scale, Tensor Bias, Tensor Lambda) Scalars(ParameterView parameters) => (parameters[0].Exp(), parameters[1], parameters[2].Exp());

    /// <summary>The features [N, D] of <paramref name="input"/> (a larger embedding output is flattened).</summary>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        return FeatureVectors.Of(Embedding.Forward(input, ChildParameters(parameters, 0)));
    }
}
