namespace MetaLearn.Metric;

/// <summary>The verdict of <see cref="SiameseNetwork.Verify"/> on one pair.</summary>
/// <param name="Same">Whether the score reached the threshold: the two images are judged to show the same class.</param>
/// <param name="Score">The probability, in [0, 1], that the two images show the same class.</param>
public readonly record struct PairVerification(bool Same, double Score);
