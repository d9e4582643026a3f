namespace MetaLearn.Samples.Tests;

/// <summary>A sample's entry point threw instead of returning an exit code.</summary>
public sealed class SampleCrashedException(string message, Exception inner) : Exception(message, inner);
