using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Optim;
using MetaLearn.Tensors;

namespace MetaLearn.Transfer.FineTuning;

/// <summary>
/// Layer-wise learning rates for fine-tuning: a list of (selection, scale) rules, the first rule whose selection holds a
/// parameter giving its scale (1 when none does). A transferred backbone learns slowly, a new head at the full rate
/// (Howard &amp; Ruder 2018, discriminative fine-tuning). The same rules give <see cref="ParameterGroup"/>s for the
/// in-place optimizers and per-parameter scales for the differentiable ones.
/// </summary>
public sealed class LayerwiseLearningRates
{
    private readonly (ParameterSelection Selection, double Scale)[] _rules;

    /// <summary>Creates the rules, tried in order.</summary>
    /// <param name="rules">Selections with the factor their parameters' learning rate is multiplied by (finite, non-negative).</param>
    /// <exception cref="ArgumentException">A selection is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A scale is negative or not finite.</exception>
    public LayerwiseLearningRates(params (ParameterSelection Selection, double Scale)[] rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        for (int i = 0; i < rules.Length; i++)
        {
            if (rules[i].Selection is null)
            {
                throw new ArgumentException($"LayerwiseLearningRates: rule {i} has no selection.", nameof(rules));
            }

            OptionChecks.NonNegative(rules[i].Scale, nameof(rules) + $"[{i}].Scale");
        }

        _rules = [.. rules];
    }

    /// <summary>Every parameter at the full rate.</summary>
    public static LayerwiseLearningRates Uniform { get; } = new();

    /// <summary>The rules, in the order they are tried.</summary>
    public IReadOnlyList<(ParameterSelection Selection, double Scale)> Rules => _rules;

    /// <summary>The scale of the parameter named <paramref name="name"/>: the first matching rule's, else 1.</summary>
    public double ScaleOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (selection, scale) in _rules)
        {
            if (selection.Contains(name))
            {
                return scale;
            }
        }

        return 1;
    }

    /// <summary>The scale of each of <paramref name="module"/>'s parameters, in <see cref="Module.Parameters"/> order.</summary>
    public double[] Scales(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return [.. module.NamedParameters().Select(p => ScaleOf(p.Name))];
    }

    /// <summary>
    /// Parameter groups for an in-place optimizer (<see cref="Adam"/>,
    /// <see cref="Sgd"/>) over the parameters of <paramref name="module"/> in <paramref name="trained"/>, one group per
    /// distinct scale; parameters at scale 0 are left out (frozen).
    /// </summary>
    /// <exception cref="ArgumentException">No parameter is trained at a positive rate.</exception>
    public IReadOnlyList<ParameterGroup> Groups(Module module, ParameterSelection? trained = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        trained ??= ParameterSelection.All;
        var byScale = new SortedDictionary<double, List<Tensor>>();
        foreach (var (name, value) in module.NamedParameters())
        {
            double scale = ScaleOf(name);
            if (scale == 0 || !trained.Contains(name))
            {
                continue;
            }

            if (!byScale.TryGetValue(scale, out var list))
            {
                byScale[scale] = list = [];
            }

            list.Add(value);
        }

        if (byScale.Count == 0)
        {
            throw new ArgumentException($"LayerwiseLearningRates: no parameter of the module is trained ({trained}) at a positive rate.", nameof(trained));
        }

        return [.. byScale.Select(g => new ParameterGroup(g.Value, g.Key))];
    }
}
