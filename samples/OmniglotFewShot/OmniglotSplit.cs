using MetaLearn.Data.Images;

namespace OmniglotFewShot;

/// <summary>
/// The sample's split of the 30 background alphabets: 5 held out for the final measurements, 3 for validation (early
/// stopping and the learning curve), the other 22 for training. Held-out and validation alphabets all have at least 20
/// characters, so within-alphabet 20-way runs can be built from them.
/// </summary>
internal static class OmniglotSplit
{
    public static IReadOnlyList<string> Test { get; } = ["Balinese", "Bengali", "Futurama", "Japanese_(katakana)", "Syriac_(Estrangelo)"];

    public static IReadOnlyList<string> Validation { get; } = ["Armenian", "Early_Aramaic", "Hebrew"];

    /// <summary>The training alphabets: every alphabet of the dataset that is neither held out nor for validation.</summary>
    public static IReadOnlyList<string> Train(ImageDataset dataset) => Train(dataset, Test, Validation);

    /// <summary>The training alphabets of another split (train's --test-alphabets and --validation-alphabets): every alphabet in neither list.</summary>
    public static IReadOnlyList<string> Train(ImageDataset dataset, IReadOnlyList<string> test, IReadOnlyList<string> validation)
        => [.. dataset.Groups.Where(g => !test.Contains(g) && !validation.Contains(g))];

    /// <summary>The classes of <paramref name="alphabets"/> in their upright orientation only (rotations are training classes only).</summary>
    public static IReadOnlyList<int> Upright(ImageDataset dataset, IEnumerable<string> alphabets)
        => [.. dataset.ClassesOfGroups(alphabets).Where(c => dataset.ClassInfo[c].Rotation == 0)];
}
