using System.Diagnostics;
using MetaLearn.Data;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Transfer;

/// <summary>Trains a relation on source tasks, episode by episode (Sung et al. 2018): relate each episode's queries to its support set and learn from the labels.</summary>
public static class RelationTraining
{
    /// <summary>Trains <paramref name="relation"/>'s parameters in place with Adam on episodes drawn from <paramref name="source"/>.</summary>
    /// <param name="relation">The relation to train.</param>
    /// <param name="source">Classification tasks of the source domain.</param>
    /// <param name="options">Episodes, learning rate, objective, seed and time limit.</param>
    /// <returns>The loss of each episode trained on.</returns>
    /// <exception cref="ArgumentException">A task is not a classification task.</exception>
    public static IReadOnlyList<double> Train(IRelationFunction relation, ITaskSource source, RelationTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(relation);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new RelationTrainingOptions();
        var parameters = relation.Network.Parameters();
        var optimizer = new Adam(parameters, options.LearningRate);
        var generator = new Generator(options.Seed);
        var losses = new List<double>(options.Episodes);
        var clock = Stopwatch.StartNew();
        for (int episode = 0; episode < options.Episodes; episode++)
        {
            var task = source.Sample(generator);
            if (task.Support is not ClassificationExamples support || task.Query is not ClassificationExamples query)
            {
                throw new ArgumentException($"RelationTraining: episode {episode} is not a classification task.", nameof(source));
            }

            var relations = relation.Relate(query.Inputs, support.Inputs, parameters);
            var loss = options.ClassCrossEntropy
                ? Losses.CrossEntropy(RelationScores.ForClasses(relations, support.Labels, support.ClassCount), query.LabelArray())
                : RelationScores.PairLoss(relations, query.Labels, support.Labels);
            optimizer.Step(Autograd.Grad([loss], parameters, null, createGraph: false, allowUnused: true));
            losses.Add(loss.Item());
            if (options.TimeLimit is { } limit && clock.Elapsed > limit)
            {
                break;
            }
        }

        return losses;
    }
}
