using MetaLearn.Data;
using MetaLearn.Evaluation;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Statistics;
using MetaLearn.TextEmbeddings.MiniLM;
using MetaLearn.Transfer.Features;
using Microsoft.Extensions.AI;

namespace MetaLearn.TextEmbeddings.Tests;

/// <summary>The real all-MiniLM-L6-v2 model (about 2 s to load and 10 s to embed the 240 intent phrasings on 2 cores).</summary>
[Trait("Category", "Slow")]
public class MiniLMTests
{
    [Fact]
    public async Task EmbedsToUnitVectorsWherePhrasingsOfOneIntentAreClose()
    {
        using var generator = new MiniLMEmbeddingGenerator();
        Assert.Equal(MiniLMEmbeddingGenerator.Dimensions, generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
        var embeddings = await generator.GenerateAsync(["book a flight to Paris", "reserve a plane ticket to France", "what's the weather tomorrow"]);
        var vectors = embeddings.Select(e => e.Vector.ToArray()).ToArray();
        Assert.All(vectors, v => Assert.Equal(384, v.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 3));
        double Cosine(float[] a, float[] b) => a.Zip(b).Sum(p => (double)p.First * p.Second);
        Assert.True(Cosine(vectors[0], vectors[1]) > Cosine(vectors[0], vectors[2]) + 0.2, "a paraphrase is not closer than another intent");
    }

    [Fact]
    public void ClassifiesHeldOutPhrasingsOfIntentsFromFewExamples()
    {
        using var generator = new MiniLMEmbeddingGenerator();
        var data = TextDataset.Load(IntentData.Path()).Embed(new TextEmbedder(generator));

        // 20-way 3-shot and 5-way 5-shot episodes, scored on 7 held-out phrasings per intent, prototype head.
        var twentyWay = Evaluate(new FewShotSampler(data, ways: 20, shots: 3, queries: 7));
        var fiveWay = Evaluate(new FewShotSampler(data, ways: 5, shots: 5, queries: 7));
        Assert.True(twentyWay.Mean > 0.75, $"20-way 3-shot accuracy {twentyWay.Mean:F3} ± {twentyWay.HalfWidth:F3}");
        Assert.True(fiveWay.Mean > 0.9, $"5-way 5-shot accuracy {fiveWay.Mean:F3} ± {fiveWay.HalfWidth:F3}");
    }

    private static MeanInterval Evaluate(FewShotSampler sampler)
        => MetaEvaluator.Evaluate(() => new FeatureTransferLearner(new Sequential(), new FeatureTransferOptions { Head = FeatureHead.Prototype }), sampler, 100, [0], seed: 3)[0].Accuracy!;
}
