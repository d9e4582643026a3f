using MetaLearn.Tests.Shared;

namespace MetaLearn.Samples.Tests;

/// <summary>
/// <c>samples/AgentPopulation</c> end to end on a small population: a cluster of two silos in this process, MAML trained
/// through worker grains, newcomers scored, a second round with the newcomers' tasks. The figures come from its RESULT
/// lines, and the claims the sample's README makes are asserted on them (a no-op meta-training would fail the first).
/// </summary>
[Collection(nameof(ConsoleCapture))]
public class AgentPopulationTests
{
    [Fact]
    public void NewcomersAdaptBetterFromTheMetaLearnedInitializationThanFromScratch()
    {
        using var scratch = new ScratchFolder("agent-population-");
        string output = scratch.Root;
        var (text, exit) = SampleRunner.Run("AgentPopulation", "--meta-iterations", "2000", "--newcomers", "60", "--out", output);
        Assert.Equal(0, exit);
        Assert.True(File.Exists(Path.Combine(output, "agent_population.png")), text);
        Assert.True(File.Exists(Path.Combine(output, "agent_population_rounds.png")), text);

        // Paired over the same newcomers and draws, pooled over the examples seen: the whole 95% interval of each gain
        // lies above zero. A meta-training that did nothing would leave the first at zero; a second round that ignored
        // the newcomers' task source would leave the second at zero (it would equal the veterans-only control bit for bit).
        var (metaGain, metaHalfWidth) = ResultLine.Figure(ResultLine.Last(text, "RESULT k=5 ")["meta_gain_all_k"]);
        Assert.True(metaGain - metaHalfWidth > 0, $"meta-learned initialization vs scratch: gain {metaGain} ± {metaHalfWidth}\n{text}");
        var (roundGain, roundHalfWidth) = ResultLine.Figure(ResultLine.Last(text, "RESULT round2 k=5 ")["newcomers_gain_all_k"]);
        Assert.True(roundGain - roundHalfWidth > 0, $"second round with the newcomers vs veterans only: gain {roundGain} ± {roundHalfWidth}\n{text}");
    }
}
