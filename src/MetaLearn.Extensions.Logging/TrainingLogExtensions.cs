using MetaLearn.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MetaLearn.Extensions.Logging;

/// <summary>Adapts an <see cref="ILogger"/> for <c>MetaTrainingOptions.Log</c>.</summary>
public static class TrainingLogExtensions
{
    /// <summary>The logger as MetaLearn's training log: <c>new MetaTrainingOptions { Log = logger.AsTrainingLog() }</c>.</summary>
    public static ITrainingLog AsTrainingLog(this ILogger logger) => new LoggerTrainingLog(logger);
}
