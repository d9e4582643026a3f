using MetaLearn.Tests.Shared;

namespace MetaLearn.Samples.Tests;

/// <summary>
/// Every <c>OmniglotFewShot train</c> command that samples/README.md publishes (the quick start and each results table's
/// recipe) runs as written, with only its size shrunk: the committed two-alphabet fixture for the data, 3 iterations, 8
/// filters, 5 test episodes and a temporary output folder. An option renamed or removed, a preset that no longer
/// exists, or a recipe that no longer trains fails here instead of in a user's hands. A command whose <c>--init</c>
/// names the output of an earlier command of the page starts from what that command wrote in this test.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public class PublishedCommandTests
{
    private static readonly Dictionary<string, string?> Shrunk = new(StringComparer.Ordinal)
    {
        ["--iterations"] = "3",
        ["--hidden"] = "8",
        ["--episodes"] = "5",
        ["--threads"] = "2",
        ["--test-alphabets"] = "Latin",
        ["--validation-alphabets"] = "Latin",
    };

    /// <summary>The train commands of samples/README.md, each as its arguments after "train" (continuation lines joined).</summary>
    internal static List<List<string>> TrainCommands()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "samples", "README.md")).Replace("\\\n", " ", StringComparison.Ordinal);
        var commands = new List<List<string>>();
        bool inBlock = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock && line.Length > 3;
                continue;
            }

            int train = line.IndexOf(" train ", StringComparison.Ordinal);
            if (inBlock && !line.StartsWith('#') && line.Contains("OmniglotFewShot", StringComparison.Ordinal) && train >= 0)
            {
                var words = line[(train + " train ".Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeWhile(w => w != "#").ToList();
                commands.Add(words);
            }
        }

        return commands;
    }

    [Fact]
    public void ThePageHasTheRecipesItPublishes()
    {
        var commands = TrainCommands();
        Assert.True(commands.Count >= 5, $"found {commands.Count} train commands in samples/README.md");
        Assert.Contains(commands, c => c.Contains("--preset") && c.Contains("paper"));
        Assert.Contains(commands, c => c.Contains("--episodic") && c.Contains("--init"));
    }

    [Fact]
    public void EveryPublishedTrainCommandRunsAsWritten()
    {
        string fixture = Path.Combine(RepositoryRoot.Path, "tests", "fixtures", "omniglot", "images_background.zip");
        using var scratch = new ScratchFolder("metalearn-published-");
        string root = scratch.Root;
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        int index = 0;
        foreach (var words in TrainCommands())
        {
            string folder = Path.Combine(root, (index++).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var options = Parse(words);
            if (options.TryGetValue("--out", out var published) && published is not null)
            {
                outputs[published.TrimEnd('/')] = folder;
            }

            options["--data"] = fixture;
            options["--out"] = folder;
            options.Remove("--minutes");
            foreach (var (name, value) in Shrunk)
            {
                options[name] = value;
            }

            if (options.TryGetValue("--init", out var init) && init is not null)
            {
                var source = outputs.Keys.FirstOrDefault(o => init.StartsWith(o + "/", StringComparison.Ordinal))
                    ?? throw new Xunit.Sdk.XunitException($"--init {init} names no earlier command's --out on the page");
                options["--init"] = Path.Combine(outputs[source], init[(source.Length + 1)..]);
            }

            string[] args = ["train", .. options.SelectMany(o => o.Value is null ? new[] { o.Key } : [o.Key, o.Value])];
            var (output, exit) = SampleRunner.Run("OmniglotFewShot", args);
            Assert.True(exit == 0, $"train {string.Join(' ', words)}\n(run as {string.Join(' ', args)}) exited {exit}:\n{output}");
            Assert.Contains("RESULT method=", output, StringComparison.Ordinal);
        }
    }

    /// <summary>"--a 1 --flag --b x" as {--a: 1, --flag: null, --b: x}, in order.</summary>
    private static Dictionary<string, string?> Parse(List<string> words)
    {
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++)
        {
            Assert.True(words[i].StartsWith("--", StringComparison.Ordinal), $"'{words[i]}' in 'train {string.Join(' ', words)}' is not an option");
            bool hasValue = i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal);
            options[words[i]] = hasValue ? words[++i] : null;
        }

        return options;
    }
}
