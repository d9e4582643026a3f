using MetaLearn.NN;
using MetaLearn.Tensors;

namespace MetaLearn.Metric;

/// <summary>
/// A learned similarity between two inputs: a relation module (Sung et al. 2018), a Siamese network's learned distance
/// (Koch et al. 2015), or any scorer whose weights live in a <see cref="Module"/>. Relation transfer carries one to a new
/// domain: a target task is solved by relating its queries to its few labelled examples.
/// </summary>
/// <remarks>
/// Implement it on a Siamese metric learner by returning minus its learned distance (or its same-class logit) from
/// <see cref="Relate"/>, reading its weights from the list passed in so it can be fine-tuned without being changed.
/// </remarks>
public interface IRelationFunction
{
    /// <summary>The module that owns the relation's parameters; <see cref="Relate"/> takes weights in its <see cref="Module.Parameters"/> order.</summary>
    Module Network { get; }

    /// <summary>
    /// Relation scores [Q, R] of every query [Q, ...] with every reference [R, ...]: logits, larger when the two are more
    /// likely the same class, computed with <paramref name="weights"/> in place of the network's own parameters.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs do not fit the network, or the weights do not match its parameters.</exception>
    Tensor Relate(Tensor queries, Tensor references, IReadOnlyList<Tensor> weights);
}
