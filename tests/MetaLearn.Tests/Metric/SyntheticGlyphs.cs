using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.Metric;

/// <summary>
/// A small synthetic image set for fast end-to-end tests: each class is a random 4×4 binary glyph drawn at 8×8 (2×2
/// pixels per cell); each example is its glyph shifted cyclically by up to one pixel each way with 10% of the pixels
/// flipped, so raw pixels match poorly and a convolutional embedding has something to learn.
/// </summary>
internal static class SyntheticGlyphs
{
    public const int Size = 8;

    public static InMemoryDataset Create(int classes, int perClass, ulong seed)
    {
        var generator = new Generator(seed);
        var pixels = new float[classes * perClass * Size * Size];
        var labels = new int[classes * perClass];
        var glyph = new bool[Size * Size / 4];
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < glyph.Length; i++)
            {
                glyph[i] = generator.NextDouble() < 0.5;
            }

            for (int e = 0; e < perClass; e++)
            {
                int example = (c * perClass) + e;
                labels[example] = c;
                int dx = generator.NextInt(3) - 1, dy = generator.NextInt(3) - 1;
                for (int y = 0; y < Size; y++)
                {
                    for (int x = 0; x < Size; x++)
                    {
                        int gy = ((y + dy + Size) % Size) / 2, gx = ((x + dx + Size) % Size) / 2;
                        bool on = glyph[(gy * Size / 2) + gx] ^ (generator.NextDouble() < 0.1);
                        pixels[(example * Size * Size) + (y * Size) + x] = on ? 1 : 0;
                    }
                }
            }
        }

        return new InMemoryDataset(Tensor.FromArray(pixels, classes * perClass, 1, Size, Size), labels);
    }

    /// <summary>The first <paramref name="count"/> class ids (for training) or the rest.</summary>
    public static int[] Classes(InMemoryDataset dataset, int from, int count) => [.. dataset.Classes.Skip(from).Take(count)];
}
