namespace MultiAgentAdaptation;

/// <summary>The sample's settings, from the command line.</summary>
internal sealed record SampleOptions(int Veterans, int Newcomers, int MetaIterations, int MetricEpochs, bool SkipText, string OutputDirectory, ulong Seed);
