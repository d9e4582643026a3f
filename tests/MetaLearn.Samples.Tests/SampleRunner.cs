using System.Reflection;
using Spectre.Console;

namespace MetaLearn.Samples.Tests;

/// <summary>
/// Runs a sample's entry point in this process with its console captured (callers must not run in parallel). An exception
/// escaping the sample is rethrown as <see cref="SampleCrashedException"/>, so a crash can never pass for a refusal.
/// </summary>
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
        // Spectre.Console keeps the console it first saw: give it this run's writer, wide enough that no line is wrapped.
        var previousAnsi = AnsiConsole.Console;
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(writer) });
        ansi.Profile.Width = 1000;
        AnsiConsole.Console = ansi;
        try
        {
            object? exit = entry.Invoke(null, [args]);
            return (writer.ToString(), exit is int code ? code : 0);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            // A crash is never a clean refusal: it fails the test, whatever exit code the test expected.
            throw new SampleCrashedException($"{sample} {string.Join(' ', args)} crashed instead of returning an exit code; its output:\n{writer}", e.InnerException);
        }
        finally
        {
            AnsiConsole.Console = previousAnsi;
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }
}
