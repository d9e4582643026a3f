namespace AgentPopulation;

/// <summary>An agent: it owns its task (its data never leaves the grain, only features and weights do) and its adapted learner.</summary>
public interface IAgentGrain : IGrainWithIntegerKey
{
    /// <summary>Joins the population of <paramref name="seed"/>; returns the agent's group (for the similarity metric's training labels).</summary>
    Task<int> Join(ulong seed);

    /// <summary>The task features (TaskFeaturizer rows) of <paramref name="examples"/> of its examples, drawn with <paramref name="draw"/>.</summary>
    Task<float[][]> Features(int examples, ulong draw);

    /// <summary>Adapts from <paramref name="start"/> on <paramref name="examples"/> of its examples and keeps the adapted weights.</summary>
    Task Learn(float[][] start, int examples, int steps);

    /// <summary>Its adapted weights (what it shares with newcomers).</summary>
    Task<float[][]> Knowledge();

    /// <summary>Its query error after fine-tuning from <paramref name="start"/> on <paramref name="examples"/> examples drawn with <paramref name="draw"/>.</summary>
    Task<double> ErrorAfter(float[][] start, int examples, ulong draw);
}
