namespace MetaLearn.Data.Images;

/// <summary>
/// Resizes one image plane by area averaging: an output pixel is the mean of the input over the rectangle it covers,
/// each input pixel weighted by the fraction of it inside (so 105 → 28 averages 3.75 × 3.75 input pixels).
/// </summary>
/// <remarks>The filter is separable: rows first, then columns, each a sum of overlap-weighted pixels.</remarks>
internal static class AreaResize
{
    /// <summary>Resizes <paramref name="source"/> [sourceHeight, sourceWidth] into <paramref name="destination"/> [height, width].</summary>
    public static void Resize(ReadOnlySpan<float> source, int sourceHeight, int sourceWidth, Span<float> destination, int height, int width)
    {
        if (sourceHeight == height && sourceWidth == width)
        {
            source[..(height * width)].CopyTo(destination);
            return;
        }

        var columns = Weights(sourceWidth, width);
        var rows = Weights(sourceHeight, height);
        var horizontal = new double[sourceHeight * width];
        for (int y = 0; y < sourceHeight; y++)
        {
            var line = source.Slice(y * sourceWidth, sourceWidth);
            for (int x = 0; x < width; x++)
            {
                var (first, weights) = columns[x];
                double sum = 0;
                for (int k = 0; k < weights.Length; k++)
                {
                    sum += weights[k] * line[first + k];
                }

                horizontal[(y * width) + x] = sum;
            }
        }

        for (int y = 0; y < height; y++)
        {
            var (first, weights) = rows[y];
            for (int x = 0; x < width; x++)
            {
                double sum = 0;
                for (int k = 0; k < weights.Length; k++)
                {
                    sum += weights[k] * horizontal[((first + k) * width) + x];
                }

                destination[(y * width) + x] = (float)sum;
            }
        }
    }

    /// <summary>
    /// For each of <paramref name="outputs"/> cells along an axis of <paramref name="inputs"/> pixels: the first input
    /// pixel it overlaps and the weights of the pixels from there on (overlap length / cell length, summing to 1).
    /// </summary>
    internal static (int First, double[] Weights)[] Weights(int inputs, int outputs)
    {
        var result = new (int, double[])[outputs];
        double scale = (double)inputs / outputs;
        for (int o = 0; o < outputs; o++)
        {
            // Cell o covers [o·inputs/outputs, (o+1)·inputs/outputs); computed from integers so the ends are exact.
            double start = (double)o * inputs / outputs;
            double end = (double)(o + 1) * inputs / outputs;
            int first = (int)Math.Floor(start);
            int last = Math.Min(inputs - 1, (int)Math.Ceiling(end) - 1);
            var weights = new double[last - first + 1];
            for (int i = first; i <= last; i++)
            {
                weights[i - first] = (Math.Min(i + 1, end) - Math.Max(i, start)) / scale;
            }

            result[o] = (first, weights);
        }

        return result;
    }
}
