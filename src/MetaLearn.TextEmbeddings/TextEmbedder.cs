using System.Collections.Concurrent;
using MetaLearn.Tensors;
using Microsoft.Extensions.AI;

namespace MetaLearn.TextEmbeddings;

/// <summary>
/// A frozen text backbone over any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of Microsoft.Extensions.AI (a local
/// sentence encoder, a hosted model, a test double): texts in, a float32 feature tensor [N, D] out, ready for
/// <see cref="Transfer.Features.FeatureTransferLearner"/> with an empty backbone. Each distinct text is embedded once and
/// remembered, so a few-shot episode over already-seen phrasings costs no model call.
/// </summary>
public sealed class TextEmbedder
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly ConcurrentDictionary<string, float[]> _cache = new(StringComparer.Ordinal);

    /// <summary>Wraps <paramref name="generator"/> (not owned: the caller disposes it).</summary>
    public TextEmbedder(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
    }

    /// <summary>The embedding width D, known after the first call (0 before).</summary>
    public int Dimensions { get; private set; }

    /// <summary>How many texts the generator has been asked to embed (the cache's misses).</summary>
    public int GeneratorCalls { get; private set; }

    /// <summary>The embeddings [N, D] of <paramref name="texts"/>, in order, asking the generator only for texts not seen before.</summary>
    /// <exception cref="ArgumentException">No texts, or a null or empty one.</exception>
    /// <exception cref="InvalidOperationException">The generator returned the wrong number of embeddings or embeddings of different widths.</exception>
    public async Task<Tensor> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            throw new ArgumentException("TextEmbedder: no texts.", nameof(texts));
        }

        for (int i = 0; i < texts.Count; i++)
        {
            if (string.IsNullOrEmpty(texts[i]))
            {
                throw new ArgumentException($"TextEmbedder: text {i} is null or empty.", nameof(texts));
            }
        }

        var missing = texts.Distinct(StringComparer.Ordinal).Where(t => !_cache.ContainsKey(t)).ToArray();
        if (missing.Length > 0)
        {
            var generated = await _generator.GenerateAsync(missing, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (generated.Count != missing.Length)
            {
                throw new InvalidOperationException($"TextEmbedder: the generator returned {generated.Count} embeddings for {missing.Length} texts.");
            }

            GeneratorCalls += missing.Length;
            for (int i = 0; i < missing.Length; i++)
            {
                _cache[missing[i]] = generated[i].Vector.ToArray();
            }
        }

        int width = _cache[texts[0]].Length;
        var values = new float[texts.Count * width];
        for (int i = 0; i < texts.Count; i++)
        {
            var vector = _cache[texts[i]];
            if (vector.Length != width)
            {
                throw new InvalidOperationException($"TextEmbedder: text {i} has a {vector.Length}-d embedding; text 0 has {width}.");
            }

            vector.CopyTo(values, i * width);
        }

        Dimensions = width;
        return Tensor.FromArray(values, texts.Count, width);
    }

    /// <summary>The embeddings [N, D] of <paramref name="texts"/>, waiting for <see cref="EmbedAsync"/> (for console programs and tests).</summary>
    public Tensor Embed(IReadOnlyList<string> texts) => EmbedAsync(texts).GetAwaiter().GetResult();
}
