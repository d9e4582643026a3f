using System.Globalization;
using MetaLearn.Data;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Transfer.Features;

namespace MultiAgentAdaptation;

/// <summary>Few-shot intent classification on the embedded intent dataset: accuracy on held-out phrasings with 95% intervals.</summary>
internal static class IntentFigure
{
    public static void Print(InMemoryDataset intents, int tasks, ulong seed)
    {
        var inv = CultureInfo.InvariantCulture;
        (string Name, FeatureTransferOptions Options, int Steps)[] heads =
        [
            ("prototype head", new FeatureTransferOptions { Head = FeatureHead.Prototype }, 0),
            ("linear head from prototypes, 20 steps", new FeatureTransferOptions { Head = FeatureHead.Linear, LearningRate = 0.01 }, 20),
        ];
        Console.WriteLine(string.Create(inv, $"Few-shot intent classification on MiniLM embeddings ({tasks} episodes each; held-out phrasings of every intent as queries; mean ± 95% interval):"));
        foreach (var (ways, shots) in new[] { (20, 3), (20, 5), (5, 3), (5, 5) })
        {
            var sampler = new FewShotSampler(intents, ways, shots, 12 - shots);
            foreach (var (name, options, steps) in heads)
            {
                var accuracy = MetaEvaluator.Evaluate(() => new FeatureTransferLearner(new Sequential(), options), sampler, tasks, [steps], seed)[0].Accuracy!;
                Console.WriteLine(string.Create(inv, $"  {ways,2}-way {shots}-shot  {name,-40} {100 * accuracy.Mean:F1} ± {100 * accuracy.HalfWidth:F1}%"));
                Console.WriteLine(string.Create(inv, $"RESULT intents ways={ways} shots={shots} head=\"{name}\" accuracy={accuracy.Mean:F4} ci95={accuracy.HalfWidth:F4} tasks={tasks}"));
            }
        }
    }
}
