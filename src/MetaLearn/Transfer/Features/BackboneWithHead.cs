using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer.Features;

/// <summary>A backbone followed by a head, as one module ("backbone.*", "head.*"), for fine-tuning both together.</summary>
internal sealed class BackboneWithHead : Module
{
    public const string BackbonePrefix = "backbone.";

    private readonly bool _normalize;

    public BackboneWithHead(Module backbone, Module head, bool normalize)
    {
        AddModule("backbone", backbone);
        AddModule("head", head);
        _normalize = normalize;
    }

    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        var features = FeatureVectors.Of(Children[0].Child.Forward(input, ChildParameters(parameters, 0)), _normalize);
        return Children[1].Child.Forward(features, ChildParameters(parameters, 1));
    }
}
