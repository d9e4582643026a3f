namespace MetaLearn.Diagnostics;

/// <summary>
/// Where <see cref="MetaLearning.MetaTrainer"/> writes its log (<see cref="MetaLearning.MetaTrainingOptions.Log"/>; nothing
/// is logged when none is given). The MetaLearn.Extensions.Logging package adapts any
/// <c>Microsoft.Extensions.Logging.ILogger</c> to it (<c>logger.AsTrainingLog()</c>), so the core library itself needs no
/// logging package.
/// </summary>
public interface ITrainingLog
{
    /// <summary>Whether entries of <paramref name="level"/> are wanted (entries are not even built when they are not).</summary>
    bool IsEnabled(TrainingLogLevel level);

    /// <summary>Writes one entry.</summary>
    void Write(TrainingLogEntry entry);
}
