namespace MetaLearn.Samples.Tests;

/// <summary>The tests that redirect the process's console: xunit runs the classes of one collection one at a time.</summary>
[CollectionDefinition(nameof(ConsoleCapture))]
public sealed class ConsoleCapture;
