namespace MetaLearn.Tensors.Kernels;

/// <summary>
/// Splits the images of a batch over threads for kernels whose images are independent (a convolution's output and its
/// input gradient): each image is computed by the same calls as on one thread, so the results do not depend on the split.
/// </summary>
/// <remarks>
/// A whole episode of a metric learner (600 images in one batch) is one task, so without this the task-level parallelism
/// of the meta-batch executor leaves all but one core idle; per-image products are too small for the GEMM to split rows.
/// Inside a part the kernels run serially, so nothing is split twice.
/// </remarks>
internal static class ImageBatches
{
    /// <summary>Multiply-adds below which one thread does the whole batch (the GEMM's row-splitting threshold).</summary>
    private const long ParallelThreshold = 1L << 21;

    /// <summary>How many parts to split <paramref name="images"/> images of <paramref name="workPerImage"/> multiply-adds each into.</summary>
    public static int Parts(int images, long workPerImage)
    {
        if (images < 2 || !Parallelism.IntraOpEnabled || workPerImage * images < ParallelThreshold)
        {
            return 1;
        }

        return Math.Clamp(Parallelism.MaxDegreeOfParallelism, 1, images);
    }

    /// <summary>Runs <paramref name="body"/> on image ranges [first, last) of <paramref name="parts"/> contiguous parts, in parallel.</summary>
    public static void Run(int images, int parts, Action<int, int> body)
    {
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            using var serial = Parallelism.SerialKernels();
            body((int)((long)images * part / parts), (int)((long)images * (part + 1) / parts));
        });
    }
}
