using MetaLearn.Data;

namespace MetaLearn.Testing;

/// <summary>A task family split for a test: training tasks, test tasks from classes never trained on, and their size.</summary>
/// <param name="Train">Tasks to meta-train on.</param>
/// <param name="Test">Tasks to measure on, drawn from held-out classes.</param>
/// <param name="Ways">Classes per task.</param>
/// <param name="InputSize">Features per example.</param>
public sealed record TinyTaskFamily(ITaskSource Train, ITaskSource Test, int Ways, int InputSize);
