using MetaLearn.MetaLearning;
using MetaLearn.Tensors;
using MetaLearn.Transfer.FineTuning;
using MetaLearn.Transfer.Selection;

namespace AgentPopulation;

/// <summary>An agent as a grain: its wave, its model and its adapted weights live on whichever silo Orleans placed it.</summary>
internal sealed class AgentGrain : Grain, IAgentGrain
{
    private ulong _seed;
    private MetaLearn.NN.Module? _model;
    private Tensor[] _knowledge = [];

    public Task<int> Join(ulong seed)
    {
        _seed = seed;
        _model = World.CreateModel(seed + 2);
        return Task.FromResult(World.Wave(seed, this.GetPrimaryKeyLong()).Group);
    }

    public Task<float[][]> Features(int examples, ulong draw)
    {
        var features = new TaskFeaturizer().Featurize(Draw(examples, draw).Support);
        return Task.FromResult(Weights.Rows(features));
    }

    public Task Learn(float[][] start, int examples, int steps)
    {
        var learner = new FineTuneLearner(Model, Weights.From(start, Model), null, World.FineTune);
        learner.Condition(Draw(examples, 7).Support);
        learner.Adapt(steps);
        _knowledge = [.. learner.Weights];
        return Task.CompletedTask;
    }

    public Task<float[][]> Knowledge() => Task.FromResult(Weights.To(_knowledge));

    public Task<double> ErrorAfter(float[][] start, int examples, ulong draw)
    {
        var task = Draw(examples, draw);
        var learner = new FineTuneLearner(Model, Weights.From(start, Model), null, World.FineTune);
        learner.Condition(task.Support);
        learner.Adapt(World.FineTuneSteps);
        using var noGrad = Tensor.NoGrad();
        return Task.FromResult(TaskLosses.MeanSquaredError(learner.Predict(task.Query.Inputs), task.Query).Item());
    }

    private MetaLearn.NN.Module Model => _model ?? throw new InvalidOperationException($"Agent {this.GetPrimaryKeyLong()} has not joined a population.");

    private MetaLearn.Data.ITask Draw(int examples, ulong draw) => World.Task(_seed, this.GetPrimaryKeyLong(), examples, new Generator(draw));
}
