using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.TextEmbeddings;
using MetaLearn.Transfer;
using MetaLearn.Transfer.FineTuning;
using MetaLearn.Transfer.Selection;

namespace MultiAgentAdaptation;

/// <summary>
/// Assistants learning their users' intents: each assistant serves one domain of five intents (home, travel,
/// communication, lifestyle) and classifies user requests from MiniLM sentence embeddings with a linear head. Veterans
/// learned from phrasings 1–5 of each intent; a newcomer assistant meets its users' intents anew and sees a few of the
/// other phrasings, the rest held out. Labels are the intents' positions in the domain, so a veteran of the same domain
/// carries over exactly, one of another domain carries the wrong intents.
/// </summary>
internal sealed class AssistantAgents : AgentWorld
{
    private const int VeteranPool = 5;
    private static readonly string[][] Domains =
    [
        ["set_alarm", "set_timer", "smart_lights", "thermostat", "shopping_list"],
        ["book_flight", "weather", "translate", "restaurant_reservation", "traffic"],
        ["send_message", "make_call", "calendar", "set_reminder", "news"],
        ["check_balance", "transfer_money", "order_food", "play_music", "tell_joke"],
    ];

    private readonly Dictionary<string, Tensor[]> _phrasings;
    private readonly Agent[] _veterans;

    public AssistantAgents(TextDataset intents, TextEmbedder embedder, int veteransPerDomain)
    {
        var embeddings = embedder.Embed([.. intents.Items.Select(i => i.Text)]);
        _phrasings = intents.Labels.ToDictionary(
            label => label,
            label => intents.Items.Select((item, row) => (item, row)).Where(p => p.item.Label == label).Select(p => embeddings.Slice(0, p.row, p.row + 1)).ToArray(),
            StringComparer.Ordinal);
        _veterans = [.. Enumerable.Range(0, Domains.Length * veteransPerDomain).Select(i => (Agent)new Assistant(this, $"veteran {i} ({Domains[i % Domains.Length][0]}, ...)", i % Domains.Length, 0, VeteranPool))];
        Featurizer = new TaskFeaturizer();
    }

    public override string Name => "assistants";

    public override string ErrorName => "error rate on held-out phrasings";

    public override string ExamplesName => "phrasings seen per intent";

    public override IReadOnlyList<int> ExamplesSeen { get; } = [1, 2, 3, 4, 5];

    public override int VeteranExamples => 4;

    public override int GainExamples => 2;

    public override IReadOnlyList<Agent> Veterans => _veterans;

    public override TaskFeaturizer Featurizer { get; }

    public override FineTuneOptions FineTune { get; } = new() { Rule = FineTuneRule.Sgd, LearningRate = 0.5 };

    public override int FineTuneSteps => 10;

    public override Agent NewAgent(Generator generator) => new Assistant(this, "newcomer", generator.NextInt(Domains.Length), VeteranPool, 12);

    public override Module CreateModel(Generator generator) => new Linear(MetaLearn.TextEmbeddings.MiniLM.MiniLMEmbeddingGenerator.Dimensions, 5, generator);

    public override double Error(Tensor predictions, Examples query)
        => 1 - MetaLearn.Evaluation.MetaEvaluator.Accuracy(predictions, ((ClassificationExamples)query).Labels);

    /// <summary>An assistant of one domain that learns from phrasings [first, end) of each intent.</summary>
    private sealed class Assistant(AssistantAgents world, string name, int group, int first, int end) : Agent(name, group)
    {
        public override ITask Sample(int examples, Generator generator)
        {
            var support = new List<Tensor>();
            var query = new List<Tensor>();
            var supportLabels = new List<int>();
            var queryLabels = new List<int>();
            var intents = Domains[Group];
            for (int label = 0; label < intents.Length; label++)
            {
                var pool = Enumerable.Range(first, end - first).ToArray();
                generator.Shuffle<int>(pool);
                for (int i = 0; i < pool.Length; i++)
                {
                    var row = world._phrasings[intents[label]][pool[i]];
                    (i < examples ? support : query).Add(row);
                    (i < examples ? supportLabels : queryLabels).Add(label);
                }
            }

            return new LearningTask(
                Examples.Classification(Tensor.Concat(support), supportLabels),
                Examples.Classification(Tensor.Concat(query), queryLabels),
                new TaskMetadata(Name, new Dictionary<string, double>()));
        }
    }
}
