namespace MetaLearn.MetaLearning;

/// <summary>A task of a meta-batch produced a NaN or infinite loss or gradient; the meta-learner was not changed.</summary>
public sealed class NonFiniteTaskException : ArithmeticException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public NonFiniteTaskException()
        : this("A task produced a non-finite value.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public NonFiniteTaskException(string message)
        : base(message)
    {
        TaskIndex = -1;
        Quantity = string.Empty;
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the error that caused it.</summary>
    public NonFiniteTaskException(string message, Exception innerException)
        : base(message, innerException)
    {
        TaskIndex = -1;
        Quantity = string.Empty;
    }

    /// <summary>Creates the exception for task <paramref name="taskIndex"/> and the non-finite <paramref name="quantity"/>.</summary>
    public NonFiniteTaskException(int taskIndex, string quantity)
        : base($"Task {taskIndex} of the meta-batch produced a non-finite {quantity}; nothing was updated. Check the task's data, lower the "
            + $"learning rates, or set NonFiniteTasks = NonFiniteTaskPolicy.SkipTask to leave such tasks out.")
    {
        TaskIndex = taskIndex;
        Quantity = quantity;
    }

    /// <summary>The index of the task within the meta-batch (−1 when unknown).</summary>
    public int TaskIndex { get; }

    /// <summary>What was not finite: "query loss", or "gradient of 'NAME'".</summary>
    public string Quantity { get; }
}
