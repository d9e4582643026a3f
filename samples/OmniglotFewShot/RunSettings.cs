using System.Text.Json;
using System.Text.Json.Serialization;
using MetaLearn.NN;

namespace OmniglotFewShot;

/// <summary>Everything that defines a training run and the network it makes; saved beside the checkpoint so that evaluation rebuilds the same network.</summary>
internal sealed record RunSettings
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public FewShotMethod Method { get; init; } = FewShotMethod.ProtoNet;

    /// <summary>Side of the square images.</summary>
    public int ImageSize { get; init; } = 28;

    /// <summary>Filters per conv block.</summary>
    public int Hidden { get; init; } = 64;

    /// <summary>Meta-iterations (episodes, pair batches or meta-batches).</summary>
    public long Iterations { get; init; }

    /// <summary>Tasks per meta-iteration.</summary>
    public int MetaBatch { get; init; } = 1;

    /// <summary>Classes per training episode (for MAML and Reptile also the head's size, hence the test ways).</summary>
    public int TrainWays { get; init; }

    /// <summary>Support examples per class in training episodes.</summary>
    public int TrainShots { get; init; }

    /// <summary>Query examples per class in training episodes (pairs per set for the Siamese network).</summary>
    public int TrainQueries { get; init; }

    /// <summary>The outer (meta) learning rate.</summary>
    public double LearningRate { get; init; } = 0.001;

    /// <summary>Inner steps in training (MAML, Reptile).</summary>
    public int InnerSteps { get; init; }

    /// <summary>Inner learning rate (MAML: SGD; Reptile: Adam).</summary>
    public double InnerLearningRate { get; init; }

    /// <summary>Adaptation steps at test time (MAML, Reptile; 0 for the metric learners).</summary>
    public int TestSteps { get; init; }

    /// <summary>
    /// The episodes between halvings of the outer learning rate (Snell et al.: 2000); 0 halves it every quarter of the run.
    /// </summary>
    public long LearningRateStep { get; init; }

    /// <summary>
    /// Batch norm's statistics in the metric learners' embedding: <see cref="BatchNormStatistics.Batch"/> (each batch by
    /// its own) or <see cref="BatchNormStatistics.Running"/> (running averages when predicting, as Snell et al.).
    /// </summary>
    public BatchNormStatistics BatchNorm { get; init; } = BatchNormStatistics.Batch;

    /// <summary>Whether the Siamese network trains on N-way episodes (the cross-entropy of its class scores) rather than on pairs.</summary>
    public bool Episodic { get; init; }

    /// <summary>The checkpoint whose weights training starts from (null: the seed's random initialization).</summary>
    public string? InitialWeights { get; init; }

    /// <summary>Whether the Siamese network's different pairs are two characters of one alphabet (Koch et al.'s hard negatives).</summary>
    public bool WithinAlphabetPairs { get; init; }

    /// <summary>
    /// Whether the validation alphabets join the training ones and validation is off: Snell et al.'s final run on training
    /// plus validation classes, for the iteration count a validated run found best.
    /// </summary>
    public bool TrainOnValidation { get; init; }

    /// <summary>Whether training images get Koch et al.'s random affine distortions.</summary>
    public bool Distort { get; init; }

    /// <summary>Whether training classes include the 90/180/270-degree rotations of every character.</summary>
    public bool Rotations { get; init; } = true;

    public ulong Seed { get; init; } = 1;

    /// <summary>MAML++ (Antoniou et al. 2019) on top of MAML: see <see cref="WithMamlPlusPlus"/> and <see cref="LearnerFactory"/>.</summary>
    public bool MamlPlusPlus { get; init; }

    /// <summary>
    /// The defaults of a method: about 15 minutes of training on 2 idle cores at 28 pixels (measured on a 2-core AVX2 EPYC:
    /// a 60-way ProtoNet episode 1.1 s, a Siamese step of 64 + 64 pairs 0.53 s, a Reptile meta-batch 1.8 s, a MAML
    /// meta-batch of 16 about 1.5 s).
    /// </summary>
    public static RunSettings For(FewShotMethod method) => method switch
    {
        FewShotMethod.ProtoNet => new() { Method = method, Iterations = 800, TrainWays = 60, TrainShots = 5, TrainQueries = 5 },
        FewShotMethod.Matching => new() { Method = method, Iterations = 1500, TrainWays = 60, TrainShots = 1, TrainQueries = 5 },
        FewShotMethod.R2D2 => new() { Method = method, Iterations = 1500, TrainWays = 60, TrainShots = 1, TrainQueries = 5 },
        FewShotMethod.Siamese => new() { Method = method, Iterations = 1600, TrainWays = 2, TrainShots = 1, TrainQueries = 64 },
        FewShotMethod.Maml or FewShotMethod.FoMaml => new() { Method = method, Iterations = 550, MetaBatch = 16, TrainWays = 5, TrainShots = 1, TrainQueries = 15, InnerSteps = 1, InnerLearningRate = 0.4, TestSteps = 3 },
        FewShotMethod.Reptile => new() { Method = method, Iterations = 450, MetaBatch = 5, TrainWays = 5, TrainShots = 10, TrainQueries = 1, InnerSteps = 5, InnerLearningRate = 0.001, LearningRate = 1.0, TestSteps = 50 },
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown method"),
    };

    /// <summary>
    /// The longer recipes (<c>--preset paper</c>). Prototypical networks: Snell et al.'s 60-way episodes with the test's
    /// shot (1), 5 queries per class, Adam 0.001 halved every 2000 episodes, plus Koch et al.'s distortions and running
    /// batch-norm statistics; 6000 episodes are about an hour on 2 idle cores (measured in samples/README.md). Siamese
    /// network: Koch et al.'s within-alphabet negatives and distortions, four times the default steps. The gradient-based
    /// methods: four times their default meta-iterations.
    /// </summary>
    public static RunSettings Paper(FewShotMethod method) => method switch
    {
        FewShotMethod.ProtoNet => For(method) with { Iterations = 6000, TrainShots = 1, Distort = true, BatchNorm = BatchNormStatistics.Running, LearningRateStep = 2000 },
        FewShotMethod.Matching or FewShotMethod.R2D2 => For(method) with { Iterations = 6000, Distort = true, BatchNorm = BatchNormStatistics.Running, LearningRateStep = 2000 },
        FewShotMethod.Siamese => For(method) with { Iterations = 6400, Distort = true, WithinAlphabetPairs = true },
        _ => For(method) with { Iterations = 4 * For(method).Iterations },
    };

    /// <summary>
    /// The paper's Omniglot settings for MAML++: 5 inner SGD steps at an initial α = 0.1 (learned per layer and step),
    /// 5 adaptation steps at test time; the schedules (multi-step loss, first order, cosine) are set from
    /// <see cref="Iterations"/> when the learner is built.
    /// </summary>
    public RunSettings WithMamlPlusPlus() => Method == FewShotMethod.Maml
        ? this with { MamlPlusPlus = true, InnerSteps = 5, InnerLearningRate = 0.1, TestSteps = 5 }
        : throw new ArgumentException($"--maml-plus-plus applies to --method maml, not {Method.ToString().ToLowerInvariant()}.");

    /// <summary>
    /// The Siamese network on N-way episodes instead of pairs: 60-way 1-shot with 5 queries per class, as the prototypical
    /// network's paper recipe, so both metric learners train on the decision they are tested on.
    /// </summary>
    public RunSettings WithEpisodes() => Method == FewShotMethod.Siamese
        ? this with { Episodic = true, TrainWays = 60, TrainShots = 1, TrainQueries = 5 }
        : throw new ArgumentException($"--episodic applies to --method siamese (the other methods train on episodes already), not {Method.ToString().ToLowerInvariant()}.");

    /// <summary>Whether the network classifies a fixed number of ways (MAML, Reptile) rather than any (the metric learners).</summary>
    public bool FixedWays => Method is FewShotMethod.Maml or FewShotMethod.FoMaml or FewShotMethod.Reptile;

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static RunSettings Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The settings file '{path}' written beside the checkpoint by 'train' is missing; it says which network the checkpoint holds.", path);
        }

        return JsonSerializer.Deserialize<RunSettings>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"'{path}' holds no settings.");
    }
}
