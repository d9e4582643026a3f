using MetaLearn.Data.Images;

namespace MetaLearn.Tests.Data.Images;

/// <summary>Greek and Latin from the committed fixture (the real background zip's files), each way the tests need them, loaded once for a test class.</summary>
public sealed class TwoAlphabets
{
    private readonly Lazy<ImageDataset> _size28 = new(() => Load(28));
    private readonly Lazy<ImageDataset> _size105 = new(() => Load(105));
    private readonly Lazy<ImageDataset> _rotated = new(() => Load(28, OmniglotOptions.AllRotations));

    /// <summary>28 × 28, upright only.</summary>
    public ImageDataset Size28 => _size28.Value;

    /// <summary>The original 105 × 105 pixels.</summary>
    public ImageDataset Size105 => _size105.Value;

    /// <summary>28 × 28 with the four rotations as classes.</summary>
    public ImageDataset Rotated => _rotated.Value;

    public static ImageDataset Load(int size, IReadOnlyList<int>? rotations = null)
        => Omniglot.Load(OmniglotData.FixtureZipPath(), new OmniglotOptions { ImageSize = size, Alphabets = OmniglotData.TwoAlphabets, Rotations = rotations ?? [0] });
}
