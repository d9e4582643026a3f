using MetaLearn.Data.Numpy;

namespace MetaLearn.Data.Images;

/// <summary>Reads mini-ImageNet's pickled release: a dict with <c>image_data</c>, uint8 [N, H, W, 3], and <c>class_dict</c>, {class name: [indices]}.</summary>
internal static class MiniImageNetPickle
{
    /// <summary>One class per key of <c>class_dict</c>, in ordinal order, its images in the order listed.</summary>
    /// <exception cref="InvalidDataException">Not that dict, a wrong shape, or an index outside the images; the message names the file.</exception>
    public static ImageDataset Load(string file, ImageDecodeOptions options, string caller)
    {
        var root = PickleValue.Dict(PickleReader.Read(file), "the pickle", file);
        var images = PickleValue.Item(root, "image_data", file) as NumpyArray
            ?? throw new InvalidDataException($"{caller}: 'image_data' in '{file}' is {PickleValue.TypeName(root["image_data"])}; expected a numpy array.");
        var (count, height, width) = ArrayImages.RequireColourImages(images, "image_data", caller);
        var classDict = PickleValue.Dict(PickleValue.Item(root, "class_dict", file), "'class_dict'", file);
        var classes = new List<(string, string, IReadOnlyList<int>)>();
        foreach (var (key, value) in classDict
            .Select(p => (PickleValue.Text(p.Key, "a class name", file), p.Value))
            .OrderBy(p => p.Item1, StringComparer.Ordinal))
        {
            var indices = PickleValue.Integers(value, $"the indices of class '{key}'", file);
            if (indices.Length == 0 || indices.Any(i => i < 0 || i >= count))
            {
                throw new InvalidDataException($"{caller}: class '{key}' in '{file}' lists {indices.Length} image indices, some outside 0..{count - 1} "
                    + $"(or none); 'image_data' has {count} images.");
            }

            classes.Add((string.Empty, key, [.. indices.Select(i => (int)i)]));
        }

        return ArrayImages.Create(file, options, classes, ArrayImages.ColourImageFill(images, height, width, options), caller);
    }
}
