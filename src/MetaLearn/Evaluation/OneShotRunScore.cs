namespace MetaLearn.Evaluation;

/// <summary>A classifier's score on one run.</summary>
/// <param name="Run">The run's name.</param>
/// <param name="Correct">Test images classified right.</param>
/// <param name="Total">Test images in the run.</param>
public sealed record OneShotRunScore(string Run, int Correct, int Total)
{
    /// <summary>Correct / Total, in [0, 1].</summary>
    public double Accuracy => (double)Correct / Total;
}
