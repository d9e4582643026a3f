using System.Globalization;
using System.Text;
using MetaLearn.Data.Images;
using MetaLearn.Tensors;

namespace MetaLearn.Data.OneShot;

/// <summary>
/// Writes one-shot runs in the layout of Lake et al. (2015) (see <see cref="OneShotRuns"/>) from any alphabets folder
/// or zip in Omniglot's layout, so the runs pipeline can be used on background alphabets while the official runs stay
/// held out.
/// </summary>
/// <remarks>
/// Each run takes all its characters from one alphabet, as the official runs do: N characters drawn without
/// replacement, and for each two different drawings (so two different drawers), one copied to
/// "training/classNN.png" and the other to "test/itemNN.png"; the classes and the items are each in a random order.
/// Runs go through the eligible alphabets (those with N characters of two or more drawings) in a shuffled order, so
/// runs share an alphabet only when there are more runs than alphabets. The image files are copied byte for byte.
/// </remarks>
public static class OneShotRunBuilder
{
    /// <summary>Writes the runs into <paramref name="outputFolder"/>, which must not exist or be empty.</summary>
    /// <param name="alphabetsPath">A folder or zip in the layout "&lt;Alphabet&gt;/&lt;character&gt;/&lt;image&gt;" (under one top folder or not).</param>
    /// <param name="outputFolder">Where the run folders go; written in a temporary folder beside it and renamed, so it is whole or absent.</param>
    /// <param name="options">Number of runs, ways, seed, alphabets; the defaults (20 runs of 20 ways, seed 0) when null.</param>
    /// <returns>What each run was drawn from.</returns>
    /// <exception cref="ArgumentException">No alphabet has enough characters, or <paramref name="outputFolder"/> is not empty.</exception>
    public static IReadOnlyList<OneShotRunInfo> Build(string alphabetsPath, string outputFolder, OneShotRunBuildOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(alphabetsPath);
        ArgumentException.ThrowIfNullOrEmpty(outputFolder);
        options ??= new OneShotRunBuildOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Runs, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Ways, 2, nameof(options));
        var output = Path.GetFullPath(outputFolder);
        if (File.Exists(output) || (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any()))
        {
            throw new ArgumentException($"OneShotRunBuilder: '{output}' already exists and is not an empty folder.", nameof(outputFolder));
        }

        using var tree = FileTree.Open(alphabetsPath, nameof(OneShotRunBuilder));
        var alphabets = Eligible(ClassFolderLayout.Find(tree, classDepth: 2, nameof(OneShotRunBuilder)), options, tree.Location);
        var runs = Draw(alphabets, options);

        var temporary = $"{output}.{Guid.NewGuid():N}.tmp";
        try
        {
            foreach (var run in runs)
            {
                Write(tree, temporary, run, options.Ways);
            }

            if (Directory.Exists(output))
            {
                Directory.Delete(output);
            }

            Directory.Move(temporary, output);
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }

        return [.. runs.Select(r => r with { TrainingSources = [.. r.TrainingSources.Select(tree.Describe)],
            TestSources = [.. r.TestSources.Select(tree.Describe)] })];
    }

    /// <summary>The alphabets, in ordinal order, with their characters that have at least two drawings, keeping those with enough.</summary>
    private static List<IGrouping<string, LayoutClass>> Eligible(LayoutClass[] characters, OneShotRunBuildOptions options, string location)
    {
        var wanted = options.Alphabets?.ToHashSet(StringComparer.Ordinal);
        var present = characters.Select(c => c.Group).ToHashSet(StringComparer.Ordinal);
        var missing = wanted?.FirstOrDefault(a => !present.Contains(a));
        if (missing is not null)
        {
            throw new ArgumentException($"OneShotRunBuilder: no alphabet '{missing}' in '{location}'.", nameof(options));
        }

        var eligible = characters
            .Where(c => c.Files.Count >= 2 && (wanted is null || wanted.Contains(c.Group)))
            .GroupBy(c => c.Group)
            .Where(g => g.Count() >= options.Ways)
            .ToList();
        if (eligible.Count == 0)
        {
            throw new ArgumentException($"OneShotRunBuilder: no alphabet in '{location}' has {options.Ways} characters with two drawings or more.",
                nameof(options));
        }

        return eligible;
    }

    /// <summary>Draws the runs; sources are paths in the tree.</summary>
    private static List<OneShotRunInfo> Draw(List<IGrouping<string, LayoutClass>> alphabets, OneShotRunBuildOptions options)
    {
        var generator = new Generator(options.Seed);
        var order = new int[alphabets.Count];
        var runs = new List<OneShotRunInfo>(options.Runs);
        for (int r = 0; r < options.Runs; r++)
        {
            if (r % order.Length == 0)
            {
                for (int i = 0; i < order.Length; i++)
                {
                    order[i] = i;
                }

                generator.Shuffle<int>(order);
            }

            var alphabet = alphabets[order[r % order.Length]];
            var characters = alphabet.ToArray();
            generator.Shuffle<LayoutClass>(characters);
            var chosen = characters[..options.Ways];
            var training = new string[options.Ways];
            var test = new string[options.Ways];
            for (int c = 0; c < options.Ways; c++)
            {
                var files = chosen[c].Files;
                int first = generator.NextInt(files.Count);
                int second = generator.NextInt(files.Count - 1);
                training[c] = files[first];
                test[c] = files[second >= first ? second + 1 : second];
            }

            var items = Enumerable.Range(0, options.Ways).ToArray();
            generator.Shuffle<int>(items);
            runs.Add(new OneShotRunInfo(RunName(r, options.Runs), alphabet.Key, [.. chosen.Select(c => c.Name)], training,
                [.. items.Select(i => test[i])], items));
        }

        return runs;
    }

    private static void Write(FileTree tree, string root, OneShotRunInfo run, int ways)
    {
        Directory.CreateDirectory(Path.Combine(root, run.Name, "training"));
        Directory.CreateDirectory(Path.Combine(root, run.Name, "test"));
        var key = new StringBuilder();
        for (int c = 0; c < ways; c++)
        {
            File.WriteAllBytes(Path.Combine(root, Relative(run, "training", "class", c, ways, run.TrainingSources[c])),
                tree.ReadAllBytes(run.TrainingSources[c]));
        }

        for (int i = 0; i < ways; i++)
        {
            var item = Relative(run, "test", "item", i, ways, run.TestSources[i]);
            File.WriteAllBytes(Path.Combine(root, item), tree.ReadAllBytes(run.TestSources[i]));
            key.Append(item).Append(' ').Append(Relative(run, "training", "class", run.Answers[i], ways, run.TrainingSources[run.Answers[i]])).Append('\n');
        }

        File.WriteAllText(Path.Combine(root, run.Name, "class_labels.txt"), key.ToString());
    }

    /// <summary>"runNN/folder/prefixKK.ext", numbered from 1 with at least two digits.</summary>
    private static string Relative(OneShotRunInfo run, string folder, string prefix, int index, int count, string source)
        => $"{run.Name}/{folder}/{prefix}{Number(index, count)}{Path.GetExtension(source).ToLowerInvariant()}";

    private static string RunName(int index, int count) => "run" + Number(index, count);

    private static string Number(int index, int count)
        => (index + 1).ToString(CultureInfo.InvariantCulture).PadLeft(Math.Max(2, count.ToString(CultureInfo.InvariantCulture).Length), '0');
}
