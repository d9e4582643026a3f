using MetaLearn.MetaLearning;
using MetaLearn.Tensors;
using Orleans.Runtime;

namespace MetaLearn.Orleans;

/// <summary>
/// A worker: a replica of a registered learner, its meta-parameters at the last version it was sent, and one unit computed
/// at a time (grains are not reentrant), its kernels on the calling thread so that several workers share a silo's cores.
/// </summary>
[global::Orleans.Placement.RandomPlacement]
internal sealed class MetaBatchWorkerGrain(MetaLearnRegistry registry, ILocalSiloDetails silo) : Grain, IMetaBatchWorkerGrain
{
    private GradientMetaLearner? _replica;
    private string? _learner;
    private long _version = -1;

    public Task<UnitReply> RunUnit(UnitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string siloName = $"{silo.Name} ({silo.SiloAddress})";
        try
        {
            return Task.FromResult(Compute(request, siloName));
        }
        catch (NonFiniteTaskException error)
        {
            return Task.FromResult(new UnitReply { NonFiniteTask = error.TaskIndex, Problem = error.Quantity, Silo = siloName });
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            return Task.FromResult(new UnitReply { Failed = true, Problem = $"{error.GetType().Name}: {error.Message}", Silo = siloName });
        }
    }

    private UnitReply Compute(UnitRequest request, string siloName)
    {
        if (_replica is null || _learner != request.Learner)
        {
            _replica = registry.CreateLearner(request.Learner);
            _learner = request.Learner;
            _version = -1;
        }

        if (request.Parameters is { } parameters)
        {
            var targets = _replica.MetaParameters;
            if (parameters.Length != targets.Count)
            {
                throw new InvalidOperationException(
                    $"{parameters.Length} meta-parameters sent for learner '{request.Learner}', its replica here has {targets.Count}.");
            }

            _version = -1;
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].CopyTo(targets[i], _replica.MetaParameterNames[i]);
            }

            _version = request.Version;
        }
        else if (_version != request.Version)
        {
            return new UnitReply { NeedsParameters = true, Silo = siloName };
        }

        if (_replica.Outer.NonFiniteTasks != request.Policy)
        {
            throw new InvalidOperationException(
                $"learner '{request.Learner}' has NonFiniteTasks {_replica.Outer.NonFiniteTasks} here, {request.Policy} at the coordinator.");
        }

        var tasks = request.Tasks.Select(t => t.ToTask(registry)).ToArray();
        using var serial = Parallelism.SerialKernels();
        var unit = _replica.ComputeMetaBatchUnit(tasks, request.FirstIndex, request.OuterStep);
        return new UnitReply
        {
            Loss = unit.Loss,
            TasksUsed = unit.TasksUsed,
            Skipped = [.. unit.Skipped],
            Gradient = [.. unit.Gradient.Select(g => g is null ? null : TensorPayload.From(g))],
            Silo = siloName,
        };
    }
}
