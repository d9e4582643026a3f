namespace MetaLearn.Data.OneShot;

/// <summary>Where a run written by <see cref="OneShotRunBuilder.Build"/> came from.</summary>
/// <param name="Name">The run's folder name, e.g. "run01".</param>
/// <param name="Alphabet">The alphabet all its characters come from.</param>
/// <param name="Characters">The character folder behind each class: classNN.png is Characters[NN − 1].</param>
/// <param name="TrainingSources">The image copied to each classNN.png.</param>
/// <param name="TestSources">The image copied to each itemNN.png.</param>
/// <param name="Answers">The class of each item: itemNN.png is a drawing of Characters[Answers[NN − 1]].</param>
public sealed record OneShotRunInfo(string Name, string Alphabet, IReadOnlyList<string> Characters, IReadOnlyList<string> TrainingSources,
    IReadOnlyList<string> TestSources, IReadOnlyList<int> Answers);
