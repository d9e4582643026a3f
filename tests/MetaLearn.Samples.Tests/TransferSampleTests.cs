namespace MetaLearn.Samples.Tests;

/// <summary>The transfer samples' command lines: help for every option, and a clear refusal when data is missing.</summary>
[Collection(nameof(ConsoleCapture))]
public class TransferSampleTests
{
    [Fact]
    public void MultiAgentAdaptationExplainsItsOptions()
    {
        var (help, exit) = SampleRunner.Run("MultiAgentAdaptation", "--help");
        Assert.Equal(0, exit);
        foreach (var option in new[] { "--veterans", "--newcomers", "--meta-iterations", "--no-text", "--out", "--seed" })
        {
            Assert.Contains(option, help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AgentPopulationExplainsItsOptions()
    {
        var (help, exit) = SampleRunner.Run("AgentPopulation", "--help");
        Assert.Equal(0, exit);
        foreach (var option in new[] { "--veterans", "--newcomers", "--meta-iterations", "--silos", "--workers", "--out", "--seed" })
        {
            Assert.Contains(option, help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OmniglotTransferExplainsItsOptionsAndNamesMissingData()
    {
        var (help, exit) = SampleRunner.Run("OmniglotTransfer", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--zip", help, StringComparison.Ordinal);

        string missing = Path.Combine(Path.GetTempPath(), "no-omniglot-" + Guid.NewGuid().ToString("N") + ".zip");
        var (output, code) = SampleRunner.Run("OmniglotTransfer", "--zip", missing);
        Assert.Equal(2, code);
        Assert.Contains($"The Omniglot background set is not at '{missing}'", output, StringComparison.Ordinal);
    }
}
