using MetaLearn.Data;
using MetaLearn.Tensors;

namespace MetaLearn.Tests.Transfer;

/// <summary>
/// Classes in R^(informative + noise): each class is a point in the first <c>informative</c> dimensions (plus a little
/// jitter); the other dimensions are wide noise shared by every class. What separates classes is the same in every
/// domain (which dimensions matter), while the classes themselves are new: the setting where a learned relation transfers.
/// </summary>
internal static class SyntheticClasses
{
    public static InMemoryDataset Create(int classes, int perClass, ulong seed, int informative = 2, int noise = 8, double spread = 3, double jitter = 0.15, double noiseScale = 1.5)
    {
        var generator = new Generator(seed);
        int width = informative + noise;
        var values = new double[classes * perClass * width];
        var labels = new int[classes * perClass];
        for (int c = 0; c < classes; c++)
        {
            var center = Enumerable.Range(0, informative).Select(_ => generator.NextUniform(-spread, spread)).ToArray();
            for (int k = 0; k < perClass; k++)
            {
                int row = (c * perClass) + k;
                labels[row] = c;
                for (int d = 0; d < width; d++)
                {
                    values[(row * width) + d] = d < informative ? center[d] + (jitter * generator.NextNormal()) : noiseScale * generator.NextNormal();
                }
            }
        }

        return new InMemoryDataset(Tensor.FromArray(values, labels.Length, width).AsType(DType.Float32), labels);
    }
}
