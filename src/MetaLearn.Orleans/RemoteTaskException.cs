namespace MetaLearn.Orleans;

/// <summary>A task of a meta-batch failed on the cluster: its computation threw on a silo, or no silo could be reached for it.</summary>
public sealed class RemoteTaskException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteTaskException()
        : this("A task of the meta-batch failed on the cluster.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RemoteTaskException(string message)
        : base(message)
    {
        Silo = "";
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public RemoteTaskException(string message, Exception innerException)
        : base(message, innerException)
    {
        Silo = "";
    }

    /// <summary>
    /// Creates the exception for the tasks [<paramref name="firstTask"/>, + <paramref name="taskCount"/>) that failed
    /// on <paramref name="silo"/>.
    /// </summary>
    public RemoteTaskException(int firstTask, int taskCount, string silo, string problem, Exception? innerException = null)
        : base(Describe(firstTask, taskCount, silo, problem), innerException)
    {
        FirstTask = firstTask;
        TaskCount = taskCount;
        Silo = silo;
    }

    /// <summary>The index in the meta-batch of the (first) task that failed.</summary>
    public int FirstTask { get; }

    /// <summary>How many tasks the failed unit held (1 unless tasks are computed several as one).</summary>
    public int TaskCount { get; }

    /// <summary>The silo, by name and address, where it failed (empty when none could be reached).</summary>
    public string Silo { get; }

    private static string Describe(int firstTask, int taskCount, string silo, string problem)
    {
        string tasks = taskCount == 1 ? $"task {firstTask}" : $"tasks {firstTask}-{firstTask + taskCount - 1}";
        string where = silo.Length == 0 ? "no silo could compute it" : $"on silo {silo}";
        return $"MetaLearn.Orleans: {tasks} of the meta-batch failed ({where}): {problem}";
    }
}
