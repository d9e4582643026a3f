namespace MetaLearn.Data.Images;

/// <summary>
/// Finds the class folders of a dataset laid out as one folder per class: "&lt;class&gt;/&lt;image&gt;" (depth 1) or
/// "&lt;group&gt;/&lt;class&gt;/&lt;image&gt;" (depth 2, Omniglot's "&lt;alphabet&gt;/characterNN/&lt;image&gt;"), at the top
/// of the tree or under one top folder (as a zip of "images_background/" has it). Files without an image extension are ignored.
/// </summary>
internal static class ClassFolderLayout
{
    /// <summary>The classes of <paramref name="tree"/>, ordered by group then name (ordinal).</summary>
    /// <exception cref="InvalidDataException">No images, an image outside the layout, or a folder of the layout with no image.</exception>
    public static LayoutClass[] Find(FileTree tree, int classDepth, string caller)
    {
        string layout = classDepth == 1 ? "<class>/<image>" : "<group>/<class>/<image>";
        var images = tree.Files.Where(ImageDecoder.IsImage).ToArray();
        if (images.Length == 0)
        {
            throw new InvalidDataException($"{caller}: '{tree.Location}' holds no image files; expected the layout {layout}.");
        }

        string prefix = Prefix(tree, images, classDepth + 1, caller, layout);
        var byFolder = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            var folder = image[prefix.Length..image.LastIndexOf('/')];
            if (!byFolder.TryGetValue(folder, out var list))
            {
                byFolder[folder] = list = [];
            }

            list.Add(image);
        }

        var occupied = new HashSet<string>(byFolder.Keys.SelectMany(k => FileTree.Parents(k).Append(k)), StringComparer.Ordinal);
        foreach (var folder in tree.Folders)
        {
            if (folder.Length > prefix.Length && folder.StartsWith(prefix, StringComparison.Ordinal))
            {
                var relative = folder[prefix.Length..];
                if (Segments(relative) <= classDepth && !occupied.Contains(relative))
                {
                    throw new InvalidDataException($"{caller}: the folder '{tree.Describe(folder)}' has no images; every folder of the layout "
                        + $"{layout} needs at least one.");
                }
            }
        }

        return [.. byFolder.Select(pair =>
        {
            int slash = pair.Key.LastIndexOf('/');
            return new LayoutClass(slash < 0 ? string.Empty : pair.Key[..slash], pair.Key[(slash + 1)..], pair.Value);
        })];
    }

    /// <summary>"" when every image is <paramref name="segments"/> deep, or "top/" when every one is one deeper under the same top folder.</summary>
    private static string Prefix(FileTree tree, string[] images, int segments, string caller, string layout)
    {
        if (images.All(i => Segments(i) == segments))
        {
            return string.Empty;
        }

        var top = images[0][..(images[0].IndexOf('/', StringComparison.Ordinal) + 1)];
        foreach (var image in images)
        {
            bool nested = top.Length > 0 && Segments(image) == segments + 1 && image.StartsWith(top, StringComparison.Ordinal);
            if (!nested)
            {
                throw new InvalidDataException($"{caller}: the image '{tree.Describe(image)}' is not in the layout {layout} of '{tree.Location}' "
                    + $"(at its top or under one top folder).");
            }
        }

        return top;
    }

    private static int Segments(string path) => path.Count(c => c == '/') + 1;
}
