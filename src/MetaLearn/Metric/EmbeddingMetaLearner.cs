using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;

namespace MetaLearn.Metric;

/// <summary>
/// The base of metric meta-learners (prototypical and Siamese networks): a model whose every parameter is meta-trained
/// by gradient descent on a per-task loss that needs no inner loop. A subclass says only what one task's loss is
/// (<see cref="Loss"/>) and how a learner conditions on a support set.
/// </summary>
/// <remarks>
/// Tasks run on the <see cref="MetaBatchExecutor"/> (parallel when the meta-batch has several tasks, bit-identical for any
/// thread count); a meta-batch of one task, the usual setting of these methods, uses both cores inside its products.
/// </remarks>
public abstract class EmbeddingMetaLearner : GradientMetaLearner
{
    /// <summary>Creates the meta-learner over every parameter of <paramref name="model"/>.</summary>
    /// <param name="model">The trained network; its parameters become the meta-parameters "model.NAME".</param>
    /// <param name="outer">The outer loop (Adam at 0.001 by default), with its schedule.</param>
    /// <exception cref="ArgumentException">The model has no parameter.</exception>
    protected EmbeddingMetaLearner(Module model, OuterLoopOptions outer)
        : base(MetaParametersOf(model), outer)
    {
        Model = model;
    }

    /// <summary>The network whose parameters are meta-trained.</summary>
    public Module Model { get; }

    /// <summary>
    /// Whether learners made by <see cref="IMetaLearner.CreateLearner"/> run the model in evaluation mode (true, the
    /// default) or leave its mode as it is (false).
    /// </summary>
    /// <remarks>
    /// Evaluation mode turns dropout off and makes <see cref="BatchNormStatistics.Running"/> batch norm normalize with its
    /// running averages, so a support set and its queries are normalized alike however small they are: the setting of
    /// Snell et al.'s prototypical networks. Training losses always run in training mode. With
    /// <see cref="BatchNormStatistics.Batch"/> batch norm and no dropout the mode changes nothing. False with
    /// <see cref="Module.Train"/> called on the model gives transductive prediction (each batch normalized by its own
    /// statistics). Training and prediction must not overlap in time: the mode is the model's.
    /// </remarks>
    public bool PredictInEvaluationMode { get; set; } = true;

    /// <summary>Puts the model in evaluation mode when <see cref="PredictInEvaluationMode"/>; learners call it before embedding.</summary>
    internal void EnterPredictionMode()
    {
        if (PredictInEvaluationMode && Model.IsTraining)
        {
            Model.Eval();
        }
    }

    /// <summary>
    /// The loss of one training task with <paramref name="parameters"/> (one per parameter of <see cref="Model"/>, in its
    /// order) in place of the model's own, or with its own when null: for a loop of your own, or for checking gradients.
    /// </summary>
    /// <exception cref="ArgumentException">The task is not of the kind the method trains on, or the parameters do not match.</exception>
    public Tensor Loss(ITask task, IReadOnlyList<Tensor>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var weights = parameters ?? Model.Parameters();
        if (weights.Count != Model.Parameters().Count)
        {
            throw new ArgumentException($"{GetType().Name}.Loss: {weights.Count} parameter tensors given, the model has {Model.Parameters().Count}.",
                nameof(parameters));
        }

        return TaskLoss(task, weights);
    }

    /// <summary>One task's differentiable loss with <paramref name="parameters"/> (already checked to match the model).</summary>
    protected abstract Tensor TaskLoss(ITask task, IReadOnlyList<Tensor> parameters);

    /// <inheritdoc/>
    protected override TaskOutcome ComputeTask(ITask task, int index)
    {
        if (!Model.IsTraining)
        {
            // Idempotent, so tasks running in parallel may all do it.
            Model.Train();
        }

        var loss = TaskLoss(task, Model.Parameters());
        return new TaskOutcome(loss.Item(), Autograd.Grad([loss], MetaParameters, null, createGraph: false, allowUnused: true));
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<(string Name, Tensor Value)> ExportOwnState() => StateCheck.ExportModel(Model);

    /// <inheritdoc/>
    protected override void ImportOwnState(IReadOnlyDictionary<string, Tensor> state) => StateCheck.ImportModel(Model, state);

    /// <summary>The support set as classification examples, or an exception naming the learner and what it got.</summary>
    /// <exception cref="ArgumentException">The examples are not classification examples.</exception>
    protected static ClassificationExamples Classification(Examples examples, string learner, string paramName)
    {
        ArgumentNullException.ThrowIfNull(examples, paramName);
        return examples as ClassificationExamples
            ?? throw new ArgumentException($"{learner}: needs classification examples (images with labels 0..N-1), got {examples.GetType().Name}.", paramName);
    }

    /// <summary>
    /// A task's support and query as an N-way episode (both classification examples, the query's classes among the
    /// support's), or an exception naming the learner and what was wrong.
    /// </summary>
    /// <exception cref="ArgumentException">Either set is not classification examples, or the query has more classes.</exception>
    protected static (ClassificationExamples Support, ClassificationExamples Query) Episode(ITask task, string learner, string paramName)
    {
        ArgumentNullException.ThrowIfNull(task, paramName);
        var support = Classification(task.Support, learner, paramName);
        var query = Classification(task.Query, learner, paramName);
        if (query.ClassCount > support.ClassCount)
        {
            throw new ArgumentException($"{learner}: the episode's query has {query.ClassCount} classes, its support only {support.ClassCount}.", paramName);
        }

        return (support, query);
    }

    private static (string, Tensor)[] MetaParametersOf(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.NamedParameters().Select(p => ("model." + p.Name, p.Value))];
    }
}
