namespace MetaLearn.Testing;

/// <summary>
/// Thrown by the assertions of this package when a check fails. Every test framework (xunit, NUnit, MSTest, TUnit)
/// reports an exception escaping a test as a failure with its message, so no adapter for a framework is needed.
/// </summary>
public sealed class MetaLearnAssertionException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public MetaLearnAssertionException()
    {
    }

    /// <summary>Creates an exception whose message says what was checked, what was expected and what was found.</summary>
    /// <param name="message">The failure, in words.</param>
    public MetaLearnAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused the failure.</summary>
    /// <param name="message">The failure, in words.</param>
    /// <param name="innerException">The exception the check caught.</param>
    public MetaLearnAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
