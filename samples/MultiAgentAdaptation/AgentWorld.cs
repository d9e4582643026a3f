using MetaLearn.Data;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Transfer.FineTuning;
using MetaLearn.Transfer.Selection;

namespace MultiAgentAdaptation;

/// <summary>A population's setting: the agents, the model every agent uses, how errors are measured.</summary>
internal abstract class AgentWorld
{
    /// <summary>The variant's name, for titles and file names.</summary>
    public abstract string Name { get; }

    /// <summary>What the error is ("query MSE", "error rate").</summary>
    public abstract string ErrorName { get; }

    /// <summary>What the x axis counts ("examples seen", "phrasings seen per intent").</summary>
    public abstract string ExamplesName { get; }

    /// <summary>The numbers of examples at which the newcomer is scored.</summary>
    public abstract IReadOnlyList<int> ExamplesSeen { get; }

    /// <summary>The examples each veteran learns its own task from.</summary>
    public abstract int VeteranExamples { get; }

    /// <summary>The examples of the support sets used to measure transfer gains and to train the task metric.</summary>
    public abstract int GainExamples { get; }

    /// <summary>The veterans.</summary>
    public abstract IReadOnlyList<Agent> Veterans { get; }

    /// <summary>How each agent's examples become a task representation.</summary>
    public abstract TaskFeaturizer Featurizer { get; }

    /// <summary>The fine-tuning every method uses on the newcomer (same rule, rate and steps for all).</summary>
    public abstract FineTuneOptions FineTune { get; }

    /// <summary>Fine-tuning steps on the newcomer's examples.</summary>
    public abstract int FineTuneSteps { get; }

    /// <summary>A new agent of the same family.</summary>
    public abstract Agent NewAgent(Generator generator);

    /// <summary>A fresh model of the shared architecture.</summary>
    public abstract Module CreateModel(Generator generator);

    /// <summary>The error of <paramref name="predictions"/> on <paramref name="query"/> (lower is better).</summary>
    public abstract double Error(Tensor predictions, Examples query);
}
