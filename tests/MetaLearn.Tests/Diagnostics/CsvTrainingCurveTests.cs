using System.Globalization;
using MetaLearn.Diagnostics;
using MetaLearn.MetaLearning;

namespace MetaLearn.Tests.Diagnostics;

[Collection(nameof(ScriptedMetaLearner))]
public class CsvTrainingCurveTests
{
    [Fact]
    public void TheCurveHasAHeaderAndARowPerProgressReport()
    {
        string path = Path.Combine(Path.GetTempPath(), "metalearn-curve-" + Guid.NewGuid().ToString("N"), "curve.csv");
        var forwarded = new List<MetaTrainingProgress>();
        try
        {
            using (var curve = new CsvTrainingCurve(path, new Progress(forwarded)))
            {
                MetaTrainer.Train(new ScriptedMetaLearner(), ScriptedMetaLearner.Tasks(), new MetaTrainingOptions
                {
                    Iterations = 4,
                    MetaBatchSize = 2,
                    ValidationInterval = 2,
                    ValidationTasks = 2,
                    ProgressInterval = 1,
                }, validationTasks: ScriptedMetaLearner.Tasks(), progress: curve);
            }

            var lines = File.ReadAllLines(path);
            Assert.Equal(CsvTrainingCurve.Header, lines[0]);
            Assert.Equal(5, lines.Length);
            Assert.Equal(4, forwarded.Count);
            var first = lines[1].Split(',');
            Assert.Equal(["1", "1", "", "", "0"], [first[0], first[2], first[3], first[4], first[5]]);
            var second = lines[2].Split(',');
            Assert.Equal(0.5, double.Parse(second[2], CultureInfo.InvariantCulture));
            Assert.Equal(Math.Log(5), double.Parse(second[3], CultureInfo.InvariantCulture), 5);
            Assert.Equal(0.2, double.Parse(second[4], CultureInfo.InvariantCulture), 10);
            Assert.Equal("1", second[5]);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    private sealed class Progress(List<MetaTrainingProgress> reports) : IProgress<MetaTrainingProgress>
    {
        public void Report(MetaTrainingProgress value) => reports.Add(value);
    }
}
