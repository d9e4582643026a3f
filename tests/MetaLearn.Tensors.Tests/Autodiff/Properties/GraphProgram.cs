using CsCheck;

namespace MetaLearn.Tensors.Tests.Autodiff.Properties;

/// <summary>
/// A random expression DAG: float64 leaves of a few broadcast-compatible shapes, then steps that each read two earlier values.
/// Operand choices are small numbers taken modulo the values available, so values are reused heavily (a value used 2-4 times,
/// <c>t + t</c>, <c>t * t</c>), and every draw is a valid program.
/// </summary>
/// <param name="Size">The base extent of the shapes: 3 gives tensors of a few elements; 32 gives tensors of 1024 and more,
/// which the allocation scope pools (so the backward pass recycles their buffers).</param>
/// <param name="LeafShapes">Each leaf's shape, as an index into <see cref="Shape"/>.</param>
/// <param name="Steps">The instructions, in order.</param>
/// <param name="Target">An intermediate value (step index, modulo the steps) whose gradient is also asked for, or −1 for none.</param>
/// <param name="DataSeed">The seed of the leaves' values.</param>
internal sealed record GraphProgram(int Size, int[] LeafShapes, ProgramStep[] Steps, int Target, int DataSeed)
{
    private static readonly int OpCount = Enum.GetValues<GraphOp>().Length;

    /// <summary>The leaf shapes, for rows <c>n</c> and columns <c>m</c>: [], [m], [n, m], [n, 1], [1, m], [2, n, m].</summary>
    public int[] Shape(int leaf)
    {
        int m = Size, n = Size == 3 ? 2 : Size;
        return LeafShapes[leaf] switch
        {
            0 => [],
            1 => [m],
            2 => [n, m],
            3 => [n, 1],
            4 => [1, m],
            _ => [2, n, m],
        };
    }

    /// <summary>Programs of 1-3 leaves and 1-<paramref name="maxSteps"/> steps over shapes of base extent <paramref name="size"/>.</summary>
    public static Gen<GraphProgram> Generator(int size, int maxSteps)
    {
        var step = Gen.Select(Gen.Int[0, OpCount - 1], Gen.Int[0, 12], Gen.Int[0, 12], Gen.Int[0, 11], (op, first, second, variant) => new ProgramStep((GraphOp)op, first, second, variant));
        return Gen.Select(Gen.Int[0, 5].Array[1, 3], step.Array[1, maxSteps], Gen.Int[-1, 8], Gen.Int[0, 1000], (shapes, steps, target, seed) => new GraphProgram(size, shapes, steps, target, seed));
    }
}
