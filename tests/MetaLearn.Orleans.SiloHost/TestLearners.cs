using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.Metric;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Testing;

namespace MetaLearn.Orleans.SiloHost;

/// <summary>The learners and task sources the Orleans tests register on every silo, and build at the coordinator.</summary>
public static class TestLearners
{
    public const string MamlSecondOrder = "maml-second-order";
    public const string MamlFirstOrderBatched = "maml-first-order-batched";
    public const string MamlSkip = "maml-skip";
    public const string MamlPlusPlus = "maml-plus-plus";
    public const string Reptile = "reptile";
    public const string ProtoNets = "protonets";
    public const string Sine = "sine";
    public const string Clusters = "clusters";

    public static readonly string[] Learners = [MamlSecondOrder, MamlFirstOrderBatched, MamlSkip, MamlPlusPlus, Reptile, ProtoNets];

    public static ITaskSource SineTasks { get; } = new SineTaskDistribution(supportSize: 5, querySize: 5);

    public static TinyTaskFamily ClusterTasks { get; } = TinyTasks.Clusters(ways: 3, shots: 1, queries: 2);

    public static void Register(MetaLearnRegistry registry)
    {
        foreach (string name in Learners)
        {
            registry.AddLearner(name, () => Create(name));
        }

        registry.AddTaskSource(Sine, SineTasks).AddTaskSource(Clusters, ClusterTasks.Train);
    }

    public static GradientMetaLearner Create(string name, Func<IReadOnlyList<Tensor>, IReadOnlyList<string>, IMetaBatchExecutor>? executor = null)
    {
        var outer = new OuterLoopOptions { LearningRate = 0.01, Executor = executor };
        return name switch
        {
            MamlSecondOrder => new Maml(SineNet(), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, InnerSteps = 2, TaskBatching = TaskBatching.Never, Outer = outer }),
            MamlFirstOrderBatched => new Maml(SineNet(), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, FirstOrder = true, TaskBatching = TaskBatching.Always, BatchedUnits = 3, Outer = outer }),
            MamlSkip => new Maml(SineNet(), TaskLosses.MeanSquaredError, new MamlOptions { InnerLearningRate = 0.05, TaskBatching = TaskBatching.Never, Outer = outer with { NonFiniteTasks = NonFiniteTaskPolicy.SkipTask } }),
            // MAML++'s stepwise path with the options that anneal over the outer steps: a replica must compute at the coordinator's step.
            MamlPlusPlus => new Maml(SineNet(), TaskLosses.MeanSquaredError, new MamlOptions
            {
                InnerLearningRate = 0.05, InnerSteps = 2, MultiStepLossIterations = 2, FirstOrderIterations = 1, LearnPerStepLearningRates = true, Outer = outer,
            }),
            Reptile => new Reptile(SineNet(), TaskLosses.MeanSquaredError, new ReptileOptions { InnerSteps = 3, Outer = outer }),
            ProtoNets => new PrototypicalNetworks(TinyTasks.Mlp(ClusterTasks.InputSize, 8, hidden: 16), new PrototypicalOptions { Outer = outer }),
            _ => throw new ArgumentException($"No test learner named '{name}'.", nameof(name)),
        };
    }

    private static Sequential SineNet() => Backbones.Mlp([1, 16, 16, 1], ActivationKind.Relu, new Generator(3));
}
