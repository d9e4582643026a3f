using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>A relation seen as a module from a set [N, ...] to its relation matrix [N, N] with itself, so <see cref="MetaLearning.InnerLoop"/> can
/// fine-tune it on a support set's pairs.</summary>
internal sealed class RelationMatrixModule : Module
{
    private readonly IRelationFunction _relation;

    public RelationMatrixModule(IRelationFunction relation)
    {
        _relation = relation;
        AddModule("relation", relation.Network);
    }

    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        var weights = new Tensor[parameters.Count];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = parameters[i];
        }

        return _relation.Relate(input, input, weights);
    }
}
