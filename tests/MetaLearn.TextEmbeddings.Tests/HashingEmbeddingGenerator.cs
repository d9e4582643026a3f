using Microsoft.Extensions.AI;

namespace MetaLearn.TextEmbeddings.Tests;

/// <summary>A test double: each word hashed into one of 64 buckets, counts scaled to unit length; counts its calls.</summary>
internal sealed class HashingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Width = 64;

    public int Calls { get; private set; }

    public int TextsSeen { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var text in values)
        {
            TextsSeen++;
            var vector = new float[Width];
            foreach (var word in text.ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                uint hash = 2166136261;
                foreach (char c in word)
                {
                    hash = (hash ^ c) * 16777619;
                }

                vector[hash % Width] += 1;
            }

            float norm = MathF.Sqrt(vector.Sum(v => v * v));
            result.Add(new Embedding<float>(vector.Select(v => v / norm).ToArray()));
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
