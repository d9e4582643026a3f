namespace MetaLearn.Data.Images;

/// <summary>Rotates square image planes by multiples of 90 degrees counter-clockwise, as NumPy's rot90 does.</summary>
internal static class QuarterTurn
{
    /// <summary>Copies each of the <paramref name="planes"/> [size, size] planes of <paramref name="source"/> into <paramref name="destination"/>,
    /// turned <paramref name="turns"/> (0 to 3) times by 90° counter-clockwise.</summary>
    public static void Rotate(ReadOnlySpan<float> source, Span<float> destination, int planes, int size, int turns)
    {
        int area = size * size;
        for (int p = 0; p < planes; p++)
        {
            var from = source.Slice(p * area, area);
            var to = destination.Slice(p * area, area);
            int last = size - 1;
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    // rot90 once: out[y, x] = in[x, last − y]; twice: in[last − y, last − x]; three times: in[last − x, y].
                    to[(y * size) + x] = turns switch
                    {
                        0 => from[(y * size) + x],
                        1 => from[(x * size) + last - y],
                        2 => from[((last - y) * size) + last - x],
                        _ => from[((last - x) * size) + y],
                    };
                }
            }
        }
    }
}
