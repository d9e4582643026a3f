using System.Reflection;

namespace MetaLearn.Samples.Tests;

/// <summary>Runs a sample's entry point in this process with its console captured (callers must not run in parallel).</summary>
internal static class SampleRunner
{
    public static (string Output, int ExitCode) Run(string sample, params string[] args)
    {
        var entry = Assembly.Load(new AssemblyName(sample)).EntryPoint ?? throw new InvalidOperationException($"{sample} has no entry point.");
        var previousOut = Console.Out;
        var previousError = Console.Error;
        using var writer = new StringWriter();
        Console.SetOut(writer);
        Console.SetError(writer);
        try
        {
            object? exit = entry.Invoke(null, [args]);
            return (writer.ToString(), exit is int code ? code : 0);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            return (writer + e.InnerException.ToString(), -1);
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }
}
