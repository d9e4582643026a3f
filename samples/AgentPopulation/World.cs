using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;
using MetaLearn.Transfer;
using MetaLearn.Transfer.FineTuning;

namespace AgentPopulation;

/// <summary>
/// The population, reproducible on every silo from its seed: agent i fits its own wave y = a·sin(b·x + φ) on [−5, 5],
/// with frequency b in {0.5, 1, 2} (its group) and its own amplitude and phase, all drawn from (seed, i).
/// </summary>
internal static class World
{
    public const string Learner = "population-maml";
    public const string VeteranTasks = "veteran-tasks";
    public const string PopulationTasks = "population-tasks";
    public const int NewcomerIds = 1_000_000;
    public const int FineTuneSteps = 10;
    public const int MetaBatch = 10;
    public const int InnerSteps = 5;
    public static readonly int[] ExamplesSeen = [2, 3, 5, 10, 20];
    public static readonly FineTuneOptions FineTune = new() { Rule = FineTuneRule.Sgd, LearningRate = 0.02 };
    private static readonly double[] Frequencies = [0.5, 1.0, 2.0];

    /// <summary>
    /// Agent <paramref name="agent"/>'s wave. The world widens as the population grows: veterans have frequencies 0.5 and 1
    /// only, newcomers (ids from <see cref="NewcomerIds"/>) any of the three, so a newcomer's experience is worth passing on.
    /// </summary>
    public static (int Group, double Amplitude, double Frequency, double Phase) Wave(ulong seed, long agent)
    {
        var generator = new Generator(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(agent + 1)));
        int group = generator.NextInt(agent < NewcomerIds ? Frequencies.Length - 1 : Frequencies.Length);
        return (group, generator.NextUniform(0.5, 3), Frequencies[group], generator.NextUniform(0, Math.PI));
    }

    public static ITask Task(ulong seed, long agent, int examples, Generator generator)
    {
        var (_, amplitude, frequency, phase) = Wave(seed, agent);
        RegressionExamples Draw(int count)
        {
            var x = new float[count];
            var y = new float[count];
            for (int i = 0; i < count; i++)
            {
                x[i] = (float)generator.NextUniform(-5, 5);
                y[i] = (float)(amplitude * Math.Sin((frequency * x[i]) + phase));
            }

            return Examples.Regression(Tensor.FromArray(x, count, 1), Tensor.FromArray(y, count, 1));
        }

        return new LearningTask(Draw(examples), Draw(100), new TaskMetadata($"agent {agent}", new Dictionary<string, double>()));
    }

    public static Module CreateModel(ulong seed) => Backbones.Mlp([1, 40, 40, 1], ActivationKind.Relu, new Generator(seed));

    /// <summary>
    /// The population's meta-learner, the same at the coordinator and on every silo (only the executor differs): second-order
    /// MAML whose inner loop is the newcomers' own fine-tuning rule (SGD at <see cref="FineTune"/>'s rate), so the
    /// initialization it learns is one that ten such steps adapt well. (Reptile with the same inner steps, tried first,
    /// learned little more than the waves' mean in a few hundred meta-iterations and did not beat a random start.)
    /// </summary>
    public static Maml MetaLearner(ulong seed, Func<IReadOnlyList<Tensor>, IReadOnlyList<string>, IMetaBatchExecutor>? executor = null)
        => new(CreateModel(seed + 1), TaskLosses.MeanSquaredError, new MamlOptions
        {
            InnerSteps = InnerSteps,
            InnerLearningRate = FineTune.LearningRate,
            TaskBatching = TaskBatching.Auto,
            Outer = new OuterLoopOptions { LearningRate = 0.001, Executor = executor },
        });

    /// <summary>Meta-training tasks: a random veteran's own task, ten examples at a time.</summary>
    public sealed class Veterans(ulong seed, int count) : ITaskSource
    {
        public ITask Sample(Generator generator) => Task(seed, generator.NextInt(count), 10, generator);
    }

    /// <summary>
    /// The next round's meta-training tasks: a random member's own task, ten examples at a time, where the members are the
    /// veterans and the first cohort of newcomers (agent ids <see cref="NewcomerIds"/> onwards) that have since joined.
    /// </summary>
    public sealed class Members(ulong seed, int veterans, int newcomers) : ITaskSource
    {
        public ITask Sample(Generator generator)
        {
            int member = generator.NextInt(veterans + newcomers);
            return Task(seed, member < veterans ? member : NewcomerIds + (member - veterans), 10, generator);
        }
    }
}
