using System.IO.Compression;
using MetaLearn.Data.Images;
using MetaLearn.Data.OneShot;
using MetaLearn.Tests.Data.Images;

namespace MetaLearn.Tests.Data.OneShot;

/// <summary>The runs builder and reader, on runs built from the two background alphabets of the committed fixture.</summary>
public class OneShotRunsTests(BuiltRuns built) : IClassFixture<BuiltRuns>
{
    [Fact]
    public void BuildsRunsInLakesLayoutFromOneAlphabetEach()
    {
        var output = built.Folder;
        var runs = built.Runs;

        Assert.Equal(["run01", "run02", "run03", "run04"], runs.Select(r => r.Name));
        // Two alphabets, four runs: each alphabet once in a shuffled order, then again in that order.
        Assert.Equal(["Greek", "Latin"], runs.Take(2).Select(r => r.Alphabet).Order(StringComparer.Ordinal));
        Assert.Equal(runs.Take(2).Select(r => r.Alphabet), runs.Skip(2).Select(r => r.Alphabet));
        foreach (var run in runs)
        {
            Assert.Equal(20, run.Characters.Distinct().Count());
            Assert.All(run.TrainingSources.Concat(run.TestSources), s => Assert.Contains($"/{run.Alphabet}/", s, StringComparison.Ordinal));
            for (int i = 0; i < 20; i++)
            {
                // Item i is another drawing (another drawer) of the character of its answer.
                var training = run.TrainingSources[run.Answers[i]];
                var test = run.TestSources[i];
                Assert.Equal(Path.GetDirectoryName(training), Path.GetDirectoryName(test));
                Assert.EndsWith($"/{run.Characters[run.Answers[i]]}", Path.GetDirectoryName(test)!.Replace('\\', '/'), StringComparison.Ordinal);
                Assert.NotEqual(training, test);
            }

            var folder = Path.Combine(output, run.Name);
            Assert.Equal(20, Directory.GetFiles(Path.Combine(folder, "training"), "class*.png").Length);
            Assert.Equal(20, Directory.GetFiles(Path.Combine(folder, "test"), "item*.png").Length);
            var lines = File.ReadAllLines(Path.Combine(folder, "class_labels.txt"));
            Assert.Equal(20, lines.Length);
            Assert.Equal($"{run.Name}/test/item01.png {run.Name}/training/class{run.Answers[0] + 1:D2}.png", lines[0]);
        }

        Assert.Equal(["run01", "run02", "run03", "run04"], Directory.GetDirectories(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheSameSeedBuildsTheSameRunsAndAnotherDoesNot()
    {
        var again = built.NewPath();
        var a = built.Runs;
        var b = OneShotRunBuilder.Build(OmniglotData.FixtureZipPath(), again, BuiltRuns.Options);
        var c = OneShotRunBuilder.Build(OmniglotData.FixtureZipPath(), built.NewPath(), new OneShotRunBuildOptions { Runs = 4, Seed = 12, Alphabets = BuiltRuns.Options.Alphabets });
        Assert.Equal(a, b, (x, y) => x.TestSources.SequenceEqual(y.TestSources) && x.TrainingSources.SequenceEqual(y.TrainingSources) && x.Answers.SequenceEqual(y.Answers));
        Assert.NotEqual(a.SelectMany(r => r.TestSources), c.SelectMany(r => r.TestSources));
        Assert.Equal(File.ReadAllBytes(Path.Combine(built.Folder, "run02", "test", "item05.png")), File.ReadAllBytes(Path.Combine(again, "run02", "test", "item05.png")));
        Assert.Equal(File.ReadAllText(Path.Combine(built.Folder, "run03", "class_labels.txt")), File.ReadAllText(Path.Combine(again, "run03", "class_labels.txt")));
    }

    [Fact]
    public void ReadsBuiltRunsBackFromAFolderAndAZip()
    {
        var fromFolder = OneShotRuns.Load(built.Folder);
        var fromZip = OneShotRuns.Load(built.Zip);
        Assert.Equal(4, fromFolder.Count);
        for (int r = 0; r < 4; r++)
        {
            var run = fromFolder[r];
            Assert.Equal(built.Runs[r].Name, run.Name);
            Assert.Equal(built.Runs[r].Answers, run.Answers);
            Assert.Equal([20, 1, 28, 28], run.TrainingImages.Shape.ToArray());
            Assert.Equal([20, 1, 28, 28], run.TestImages.Shape.ToArray());
            Assert.Equal($"{run.Name}/training/class01.png", run.TrainingFiles[0]);
            Assert.Equal(run.TrainingImages.ToArray(), fromZip[r].TrainingImages.ToArray());
            Assert.Equal(run.TestImages.ToArray(), fromZip[r].TestImages.ToArray());
            Assert.Equal(run.Answers, fromZip[r].Answers);
        }

        // A test image is its source drawing, decoded as the Omniglot loader decodes it.
        using (var zip = ZipFile.OpenRead(OmniglotData.FixtureZipPath()))
        {
            using var stream = zip.GetEntry(built.Runs[1].TestSources[3].Split("!/")[1])!.Open();
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            var expected = new float[784];
            ImageDecoder.Decode(bytes.ToArray(), "source", ImageDecodeOptions.Omniglot(), expected);
            Assert.Equal(expected, fromFolder[1].TestImages.ToArray().AsSpan(3 * 784, 784).ToArray());
        }

        var task = fromFolder[0].ToTask();
        Assert.Equal([.. Enumerable.Range(0, 20)], ((MetaLearn.Data.ClassificationExamples)task.Support).Labels);
        Assert.Equal(built.Runs[0].Answers, ((MetaLearn.Data.ClassificationExamples)task.Query).Labels);
    }

    [Fact]
    public void TheBuilderNeedsAnEmptyOutputAndEnoughCharacters()
    {
        var zip = OmniglotData.FixtureZipPath();
        var taken = built.NewPath();
        Directory.CreateDirectory(taken);
        File.WriteAllText(Path.Combine(taken, "keep.txt"), "x");
        Assert.Throws<ArgumentException>(() => OneShotRunBuilder.Build(zip, taken, BuiltRuns.Options));
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(taken).Select(Path.GetFileName));

        var target = built.NewPath();
        var tooMany = Assert.Throws<ArgumentException>(() => OneShotRunBuilder.Build(zip, target, new OneShotRunBuildOptions { Ways = 30, Alphabets = ["Greek", "Latin"] }));
        Assert.Contains("30 characters", tooMany.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(target)!, Path.GetFileName(target) + "*"));
    }
}
