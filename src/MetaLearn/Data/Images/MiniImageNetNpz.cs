using MetaLearn.Data.Numpy;

namespace MetaLearn.Data.Images;

/// <summary>Reads mini-ImageNet's .npz release: <c>images</c>, uint8 [N, H, W, 3], and <c>labels</c>, [N] integers or text.</summary>
internal static class MiniImageNetNpz
{
    /// <summary>One class per distinct label, its images in file order.</summary>
    /// <exception cref="InvalidDataException">A missing array, a wrong shape, or not one label per image; the message names the file.</exception>
    public static ImageDataset Load(string file, ImageDecodeOptions options, string caller)
    {
        var arrays = NpzFile.Read(file, "images", "labels");
        var (count, height, width) = ArrayImages.RequireColourImages(arrays[0], "images", caller);
        var labels = arrays[1];
        if (labels.Shape.Count != 1 || labels.Shape[0] != count)
        {
            throw new InvalidDataException($"{caller}: 'labels' in '{file}' is {labels.Describe()}; expected one label for each of the {count} images.");
        }

        // Integer labels are ordered by value (2 before 10), text labels ordinally.
        var classes = labels.DType.IsInteger
            ? labels.ToInt64("'labels'").Select((label, index) => (label, index)).GroupBy(p => p.label).OrderBy(g => g.Key)
                .Select(g => (string.Empty, g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), (IReadOnlyList<int>)[.. g.Select(p => p.index)]))
            : labels.ToStrings("'labels'").Select((label, index) => (label, index)).GroupBy(p => p.label).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (string.Empty, g.Key, (IReadOnlyList<int>)[.. g.Select(p => p.index)]));
        return ArrayImages.Create(file, options, [.. classes], ArrayImages.ColourImageFill(arrays[0], height, width, options), caller);
    }
}
