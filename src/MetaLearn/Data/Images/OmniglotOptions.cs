namespace MetaLearn.Data.Images;

/// <summary>How <see cref="Omniglot.Load"/> reads the Omniglot images.</summary>
public sealed class OmniglotOptions
{
    /// <summary>The four rotations of MAML and ProtoNets: each character turned by 0, 90, 180 and 270 degrees, four classes.</summary>
    public static IReadOnlyList<int> AllRotations { get; } = [0, 90, 180, 270];

    /// <summary>Side of the square images after area averaging (105 keeps the originals; 28 is the usual).</summary>
    public int ImageSize { get; init; } = 28;

    /// <summary>Rotations in degrees (each of 0, 90, 180, 270, counter-clockwise); each makes a class of every character. Default: [0].</summary>
    public IReadOnlyList<int> Rotations { get; init; } = [0];

    /// <summary>The alphabets to load (folder names, e.g. "Latin"); all when null.</summary>
    public IReadOnlyList<string>? Alphabets { get; init; }

    /// <summary>
    /// A decoded-image cache file (see <see cref="ImageFolder.Load"/> for when it is used and rebuilt); none when null.
    /// </summary>
    public string? CacheFile { get; init; }
}
