namespace MetaLearn.Data.Images;

/// <summary>Finding the files of a published few-shot set, with an error that says what was expected, where, and where the set is published.</summary>
internal static class DatasetFiles
{
    /// <summary>The name the releases give a split: "train", "val" or "test".</summary>
    public static string Name(FewShotSplit split) => Choose(split, "train", "val", "test");

    /// <summary>The one of <paramref name="train"/>, <paramref name="validation"/> and <paramref name="test"/> that <paramref name="split"/> names.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined split.</exception>
    public static T Choose<T>(FewShotSplit split, T train, T validation, T test) => split switch
    {
        FewShotSplit.Train => train,
        FewShotSplit.Validation => validation,
        FewShotSplit.Test => test,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "The split must be Train, Validation or Test."),
    };

    /// <summary>The full path of the folder <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no folder there.</exception>
    public static string Folder(string path, string expected, string caller, string published)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        return Directory.Exists(full) ? full : throw Missing(caller, expected, full, published);
    }

    /// <summary>The full path of <paramref name="file"/> in <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">It is not there.</exception>
    public static string Require(string folder, string file, string caller, string published)
    {
        var full = Path.Combine(folder, file);
        return File.Exists(full) ? full : throw Missing(caller, $"the file '{file}'", folder, published);
    }

    /// <summary>"Caller: expected X in 'folder', and it is not there. Published …": the error of a missing file or folder.</summary>
    public static FileNotFoundException Missing(string caller, string expected, string folder, string published)
        => new($"{caller}: expected {expected} in '{folder}', and it is not there. {published}", folder);
}
