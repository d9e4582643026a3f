using MetaLearn.Tensors;

namespace MetaLearn.Data.Images;

/// <summary>
/// Random small affine distortions of images, as Koch, Zemel &amp; Salakhutdinov (2015) used to augment their Siamese
/// network's training pairs: each of rotation, shear, scale and translation is applied with probability
/// <see cref="Probability"/>, with θ ∈ [−10°, 10°], ρ_x, ρ_y ∈ [−0.3, 0.3], s_x, s_y ∈ [0.8, 1.2] and t_x, t_y ∈ [−2, 2]
/// pixels of a 105-pixel image (scaled to the image's size).
/// </summary>
/// <remarks>
/// The map is x' = R(θ)·Sh(ρ)·S(s)·x + t about the image centre; every output pixel is read back through its inverse with
/// bilinear interpolation, and what falls outside the image is background (0, Omniglot's paper colour once inverted).
/// </remarks>
public sealed record AffineDistortion
{
    /// <summary>The chance of applying each of the four components to an image, in [0, 1] (Koch et al.: 0.5).</summary>
    public double Probability
    {
        get;
        init => field = value is >= 0 and <= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(Probability), value, "AffineDistortion.Probability must be in [0, 1].");
    } = 0.5;

    /// <summary>The largest rotation in degrees either way (10).</summary>
    public double MaxRotationDegrees { get; init; } = 10;

    /// <summary>The largest shear either way (0.3).</summary>
    public double MaxShear { get; init; } = 0.3;

    /// <summary>The largest relative change of scale either way (0.2: scales in [0.8, 1.2]).</summary>
    public double MaxScaleChange { get; init; } = 0.2;

    /// <summary>The largest translation either way, as a fraction of the image side (2/105, Koch et al.'s 2 pixels).</summary>
    public double MaxTranslation { get; init; } = 2.0 / 105;

    /// <summary>Distorts every image of a batch [N, C, H, W] with its own random map; returns a new float32 tensor.</summary>
    /// <exception cref="ArgumentException">The tensor is not a float32 batch of images.</exception>
    public Tensor Apply(Tensor images, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(generator);
        if (images.Rank != 4 || images.DType != DType.Float32)
        {
            throw new ArgumentException($"AffineDistortion: expected float32 images [N, C, H, W], got {images.DType} "
                + $"{Shapes.Format(images.Shape)}.", nameof(images));
        }

        int n = images.Shape[0], channels = images.Shape[1], height = images.Shape[2], width = images.Shape[3];
        var source = images.ToArray();
        var result = new float[source.Length];
        int plane = height * width;
        for (int i = 0; i < n; i++)
        {
            var inverse = InverseMap(generator, height, width);
            for (int c = 0; c < channels; c++)
            {
                int offset = ((i * channels) + c) * plane;
                Resample(source.AsSpan(offset, plane), result.AsSpan(offset, plane), height, width, inverse);
            }
        }

        return Tensor.FromArray(result, n, channels, height, width);
    }

    /// <summary>Draws one map and returns its inverse as (a, b, c, d, tx, ty): source = [a b; c d]·(target − t).</summary>
    private (double A, double B, double C, double D, double Tx, double Ty) InverseMap(Generator generator, int height, int width)
    {
        bool Use() => generator.NextDouble() < Probability;
        double theta = Use() ? generator.NextUniform(-MaxRotationDegrees, MaxRotationDegrees) * Math.PI / 180 : 0;
        double shearX = 0, shearY = 0;
        if (Use())
        {
            shearX = generator.NextUniform(-MaxShear, MaxShear);
            shearY = generator.NextUniform(-MaxShear, MaxShear);
        }

        double scaleX = 1, scaleY = 1;
        if (Use())
        {
            scaleX = 1 + generator.NextUniform(-MaxScaleChange, MaxScaleChange);
            scaleY = 1 + generator.NextUniform(-MaxScaleChange, MaxScaleChange);
        }

        double tx = 0, ty = 0;
        if (Use())
        {
            tx = generator.NextUniform(-MaxTranslation, MaxTranslation) * width;
            ty = generator.NextUniform(-MaxTranslation, MaxTranslation) * height;
        }

        // Forward map M = R(θ)·[1 ρx; ρy 1]·diag(sx, sy).
        double cos = Math.Cos(theta), sin = Math.Sin(theta);
        double m00 = ((cos * 1) + (-sin * shearY)) * scaleX;
        double m01 = ((cos * shearX) + (-sin * 1)) * scaleY;
        double m10 = ((sin * 1) + (cos * shearY)) * scaleX;
        double m11 = ((sin * shearX) + (cos * 1)) * scaleY;
        double determinant = (m00 * m11) - (m01 * m10);
        if (Math.Abs(determinant) < 1e-6)
        {
            return (1, 0, 0, 1, 0, 0);
        }

        return (m11 / determinant, -m01 / determinant, -m10 / determinant, m00 / determinant, tx, ty);
    }

    private static void Resample(ReadOnlySpan<float> source, Span<float> target, int height, int width,
        (double A, double B, double C, double D, double Tx, double Ty) inverse)
    {
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double u = x - cx - inverse.Tx, v = y - cy - inverse.Ty;
                double sx = (inverse.A * u) + (inverse.B * v) + cx;
                double sy = (inverse.C * u) + (inverse.D * v) + cy;
                target[(y * width) + x] = (float)Bilinear(source, height, width, sx, sy);
            }
        }
    }

    private static double Bilinear(ReadOnlySpan<float> image, int height, int width, double x, double y)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        double top = ((1 - fx) * Pixel(image, height, width, x0, y0)) + (fx * Pixel(image, height, width, x0 + 1, y0));
        double bottom = ((1 - fx) * Pixel(image, height, width, x0, y0 + 1)) + (fx * Pixel(image, height, width, x0 + 1, y0 + 1));
        return ((1 - fy) * top) + (fy * bottom);
    }

    private static double Pixel(ReadOnlySpan<float> image, int height, int width, int x, int y)
        => x >= 0 && y >= 0 && x < width && y < height ? image[(y * width) + x] : 0;
}
