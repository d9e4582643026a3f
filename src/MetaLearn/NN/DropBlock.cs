using MetaLearn.Tensors;

namespace MetaLearn.NN;

/// <summary>
/// DropBlock (Ghiasi et al., 2018): in training mode, zeroes whole <see cref="BlockSize"/>×<see cref="BlockSize"/> squares of
/// each [H, W] feature map, about a fraction <see cref="Probability"/> of it, and scales the rest so the output's sum keeps
/// the input's; evaluation mode is the identity. Dropping contiguous regions regularizes convolutional features, whose
/// neighbouring activations are correlated, where elementwise <see cref="Dropout"/> barely does.
/// </summary>
/// <remarks>
/// <para>
/// For an H×W map, block centres are drawn Bernoulli(γ) at each of the (H − b + 1)(W − b + 1) places where a whole block
/// fits, independently per example and channel, with γ = p/b² · HW/((H − b + 1)(W − b + 1)) (the paper's equation 1), so
/// that about p·HW pixels are covered (a little less where blocks overlap). Each centre is spread over its block by a
/// b×b, stride-1 max pooling of the zero-padded centre map (<see cref="Functional.MaxPool2d"/>); the kept pixels are
/// scaled by count / kept, as in MetaOptNet's ResNet-12 (Lee et al., 2019). A block larger than the map shrinks to it.
/// </para>
/// <para>
/// The mask is a constant of the graph: the output is input ⊙ mask, so the gradient (to any order) is the mask times the
/// incoming one. Masks come from the layer's own <see cref="Generator"/>, drawn under a lock (see <see cref="Dropout"/>).
/// </para>
/// </remarks>
public sealed class DropBlock : Module
{
    private readonly Generator _generator;
    private readonly Lock _gate = new();

    /// <summary>Creates the layer.</summary>
    /// <param name="probability">The fraction p in [0, 1) of each map to drop.</param>
    /// <param name="blockSize">The side b of the dropped squares (at least 1; 1 is spatially independent dropout).</param>
    /// <param name="generator">The source of the masks (kept and advanced by every training-mode call).</param>
    public DropBlock(double probability, int blockSize, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (!(probability >= 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "DropBlock: the probability must be in [0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        Probability = probability;
        BlockSize = blockSize;
        _generator = generator;
    }

    /// <summary>The fraction of each feature map to drop.</summary>
    public double Probability { get; }

    /// <summary>The side of the dropped squares.</summary>
    public int BlockSize { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, ParameterView parameters)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw new ArgumentException($"DropBlock: expected input [N, C, H, W], got {Shapes.Format(input)}.", nameof(input));
        }

        if (!IsTraining || Probability == 0)
        {
            return input;
        }

        var mask = Mask(input.Shape[0] * input.Shape[1], input.Shape[2], input.Shape[3]).Reshape([.. input.Shape]);
        return input * (input.DType == DType.Float64 ? mask : mask.AsType(input.DType));
    }

    /// <summary>The scaled keep mask of <paramref name="maps"/> maps of <paramref name="height"/>×<paramref name="width"/>, as [maps, 1, H, W].</summary>
    private Tensor Mask(int maps, int height, int width)
    {
        int block = Math.Min(BlockSize, Math.Min(height, width));
        int rows = height - block + 1, columns = width - block + 1;
        double gamma = Math.Min(1, Probability / (block * block) * height * width / (rows * columns));

        // Centres sit at the block's bottom-right corner of a map padded by b − 1 on the top and left, so the b×b window
        // of the stride-1 pooling that ends at a pixel sees every centre whose block covers it.
        int paddedHeight = height + block - 1, paddedWidth = width + block - 1;
        var centres = new double[maps * paddedHeight * paddedWidth];
        lock (_gate)
        {
            for (int m = 0; m < maps; m++)
            {
                for (int i = 0; i < rows; i++)
                {
                    int row = (m * paddedHeight) + i + block - 1;
                    for (int j = 0; j < columns; j++)
                    {
                        if (_generator.NextDouble() < gamma)
                        {
                            centres[(row * paddedWidth) + j + block - 1] = 1;
                        }
                    }
                }
            }
        }

        using var noGrad = Tensor.NoGrad();
        var covered = Functional.MaxPool2d(Tensor.FromArray(centres, maps, 1, paddedHeight, paddedWidth), block, stride: 1);
        var keep = 1 - covered;
        double kept = keep.Sum().ToDoubleArray()[0];
        return kept == 0 ? keep : keep * (keep.Count / kept);
    }
}
