namespace OmniglotTransfer;

/// <summary>The experiment's settings, from the command line.</summary>
internal sealed record ExperimentOptions(
    string Zip,
    string? Cache,
    string? Checkpoints,
    int SourceAlphabets,
    int Channels,
    double PretrainMinutes,
    double RelationMinutes,
    int Tasks,
    int Steps,
    ulong Seed);
