namespace MetaLearn.Data.Images;

/// <summary>One class folder found by <see cref="ClassFolderLayout"/>.</summary>
/// <param name="Group">The folder above it (an alphabet), or empty.</param>
/// <param name="Name">The class folder's name.</param>
/// <param name="Files">Its images, as paths in the tree, in ordinal order.</param>
internal sealed record LayoutClass(string Group, string Name, IReadOnlyList<string> Files);
