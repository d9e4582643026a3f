using MetaLearn.Statistics;

namespace MetaLearn.Tests.Statistics;

public class MeanIntervalTests
{
    [Theory]
    // Student's t quantiles t(0.975, n − 1) from tables: 12.7062 (1 dof), 2.7764 (4), 2.0930 (19), 1.9842 (100).
    [InlineData(new[] { 0.0, 1.0 }, 0.5, 12.7062047 * 0.5)]
    [InlineData(new[] { 2.0, 4, 4, 4, 6 }, 4.0, 2.7764451 * 0.6324555320)]
    public void MatchesTheTextbookInterval(double[] values, double mean, double halfWidth)
    {
        var interval = MeanInterval.Of(values);
        Assert.Equal(mean, interval.Mean, 12);
        Assert.Equal(halfWidth, interval.HalfWidth, 5);
        Assert.Equal(values.Length, interval.Count);
        Assert.Equal(interval.Mean - interval.HalfWidth, interval.Lower, 12);
    }

    [Fact]
    public void UsesTheSampleStandardDeviationAndStudentsT()
    {
        // 20 values of 0 and 1 alternating: s = sqrt(20 / 4 / 19)·2 ... computed directly, with t(0.975, 19) = 2.0930241.
        var values = Enumerable.Range(0, 20).Select(i => (double)(i % 2)).ToArray();
        double s = Math.Sqrt(values.Sum(v => (v - 0.5) * (v - 0.5)) / 19);
        var interval = MeanInterval.Of(values);
        Assert.Equal(s / Math.Sqrt(20), interval.StandardError, 12);
        Assert.Equal(2.0930241 * s / Math.Sqrt(20), interval.HalfWidth, 6);

        // A 90% interval is narrower: t(0.95, 19) = 1.7291328.
        Assert.Equal(1.7291328 * s / Math.Sqrt(20), MeanInterval.Of(values, 0.90).HalfWidth, 6);
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => MeanInterval.Of([1.0]));
        Assert.Throws<ArgumentException>(() => MeanInterval.Of([1.0, double.NaN]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeanInterval.Of([1.0, 2.0], 1.0));
    }
}
