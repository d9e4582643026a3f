using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Transfer;
using MetaLearn.Transfer.FineTuning;
using MetaLearn.Transfer.Selection;

namespace MultiAgentAdaptation;

/// <summary>
/// Agents that each fit their own wave y = a·sin(b·x + φ) on [−5, 5]: the family shares the sine shape; the frequency b
/// (0.5, 1 or 2) is the agent's group, the amplitude a and phase φ its own. Transfer helps most between agents of one
/// frequency and similar amplitude and phase, which the pairs' (x, y) scatter shows but their mean does not.
/// </summary>
internal sealed class SineAgents : AgentWorld
{
    private static readonly double[] Frequencies = [0.5, 1.0, 2.0];
    private readonly Agent[] _veterans;

    public SineAgents(int veterans, Generator generator)
    {
        _veterans = [.. Enumerable.Range(0, veterans).Select(i => Create(generator, $"veteran {i}"))];
    }

    public override string Name => "sine";

    public override string ErrorName => "query MSE";

    public override string ExamplesName => "examples seen";

    public override IReadOnlyList<int> ExamplesSeen { get; } = [2, 3, 5, 10, 20];

    public override int VeteranExamples => 50;

    public override int GainExamples => 10;

    public override IReadOnlyList<Agent> Veterans => _veterans;

    public override TaskFeaturizer Featurizer { get; } = new();

    public override FineTuneOptions FineTune { get; } = new() { Rule = FineTuneRule.Sgd, LearningRate = 0.02 };

    public override int FineTuneSteps => 10;

    public override Agent NewAgent(Generator generator) => Create(generator, "newcomer");

    public override Module CreateModel(Generator generator) => Backbones.Mlp([1, 40, 40, 1], ActivationKind.Relu, generator);

    public override double Error(Tensor predictions, Examples query)
    {
        using var noGrad = Tensor.NoGrad();
        return TaskLosses.MeanSquaredError(predictions, query).Item();
    }

    private static Wave Create(Generator generator, string name)
    {
        int group = generator.NextInt(Frequencies.Length);
        return new Wave(name, group, generator.NextUniform(0.5, 3), Frequencies[group], generator.NextUniform(0, Math.PI));
    }

    private sealed class Wave(string name, int group, double amplitude, double frequency, double phase)
        : Agent(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} (b={frequency:F1}, a={amplitude:F2})"), group)
    {
        public override ITask Sample(int examples, Generator generator)
            => new LearningTask(Examples(examples, generator), Examples(100, generator), new TaskMetadata(Name, new Dictionary<string, double>()));

        private RegressionExamples Examples(int count, Generator generator)
        {
            var x = new double[count];
            var y = new double[count];
            for (int i = 0; i < count; i++)
            {
                x[i] = generator.NextUniform(-5, 5);
                y[i] = amplitude * Math.Sin((frequency * x[i]) + phase);
            }

            return MetaLearn.Data.Examples.Regression(Tensor.FromArray(x, count, 1).AsType(DType.Float32), Tensor.FromArray(y, count, 1).AsType(DType.Float32));
        }
    }
}
