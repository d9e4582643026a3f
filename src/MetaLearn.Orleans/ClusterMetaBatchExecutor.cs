using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using MetaLearn.MetaLearning;
using MetaLearn.Tensors;

namespace MetaLearn.Orleans;

/// <summary>
/// Runs a learner's meta-batches on worker grains across an Orleans cluster, bit-identical to the local
/// <see cref="MetaBatchExecutor"/> at any cluster size and any placement: each unit is computed on a replica exactly as
/// locally, and the units are combined here, in unit order, by the same code.
/// </summary>
/// <remarks>
/// <para>Unit u goes to worker u mod <see cref="ClusterExecutorOptions.Workers"/>; a worker computes its units one after
/// another and receives the meta-parameters only when their values changed since it last had them (once per worker per
/// outer step). Tasks travel as tensors, or as a name and a seed when they come from a <see cref="DescribedTaskSource"/>.</para>
/// <para>A worker whose silo is lost is replaced by a fresh grain, which Orleans places on a live silo, and its unit is
/// sent again (the result does not change: the computation is deterministic). A task that throws on a silo surfaces as a
/// <see cref="RemoteTaskException"/> naming the task and the silo; a non-finite task obeys the learner's
/// <see cref="NonFiniteTaskPolicy"/> as locally.</para>
/// </remarks>
public sealed class ClusterMetaBatchExecutor : IMetaBatchExecutor
{
    private readonly IGrainFactory _grains;
    private readonly string _learner;
    private readonly Tensor[] _parameters;
    private readonly MetaBatchExecutor _combiner;
    private readonly string[] _keys;
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly string _id = Guid.NewGuid().ToString("N");
    private byte[][] _snapshot = [];
    private TensorPayload[] _payloads = [];
    private long _version = -1;
    private int _generation;

    /// <summary>Creates the executor for a learner registered on every silo as <paramref name="learner"/>.</summary>
    /// <param name="grains">The cluster (a client's or a silo's grain factory).</param>
    /// <param name="learner">The name under which every silo registered a replica factory (<see cref="MetaLearnRegistry.AddLearner"/>).</param>
    /// <param name="metaParameters">The coordinator's meta-parameters, in the learner's order.</param>
    /// <param name="names">Their names.</param>
    /// <param name="options">Workers and retries.</param>
    /// <exception cref="ArgumentException">No parameters, a name count that differs, or an empty learner name.</exception>
    public ClusterMetaBatchExecutor(
        IGrainFactory grains,
        string learner,
        IReadOnlyList<Tensor> metaParameters,
        IReadOnlyList<string> names,
        ClusterExecutorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(learner);
        _combiner = new MetaBatchExecutor(metaParameters, names);
        _grains = grains;
        _learner = learner;
        _parameters = [.. metaParameters];
        Options = options ?? new ClusterExecutorOptions();
        _keys = [.. Enumerable.Range(0, Options.Workers).Select(Key)];
    }

    /// <summary>The settings.</summary>
    public ClusterExecutorOptions Options { get; }

    /// <summary>What the last meta-batch cost (null before the first).</summary>
    public ClusterRunStatistics? LastRun { get; private set; }

    /// <summary>
    /// A factory for <see cref="OuterLoopOptions.Executor"/>: the learner built with it runs its meta-batches on the cluster.
    /// </summary>
    /// <param name="grains">The cluster.</param>
    /// <param name="learner">The name every silo registered the learner's replica factory under.</param>
    /// <param name="options">Workers and retries.</param>
    /// <param name="created">Receives the executor when the learner creates it (to read <see cref="LastRun"/>).</param>
    public static Func<IReadOnlyList<Tensor>, IReadOnlyList<string>, IMetaBatchExecutor> Factory(
        IGrainFactory grains, string learner, ClusterExecutorOptions? options = null, Action<ClusterMetaBatchExecutor>? created = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(learner);
        return (parameters, names) =>
        {
            var executor = new ClusterMetaBatchExecutor(grains, learner, parameters, names, options);
            created?.Invoke(executor);
            return executor;
        };
    }

    /// <inheritdoc/>
    /// <exception cref="RemoteTaskException">
    /// A task threw on a silo, or its unit could not be computed in <see cref="ClusterExecutorOptions.MaxAttempts"/>
    /// attempts.
    /// </exception>
    public MetaBatchResult Run(MetaBatchWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Task.Run(() => RunAsync(work)).GetAwaiter().GetResult();
    }

    private async Task<MetaBatchResult> RunAsync(MetaBatchWork work)
    {
        long sent = Refresh();
        var replies = new UnitReply[work.Units];
        long received = 0;
        int retries = 0;
        var silos = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        await Task.WhenAll(Enumerable.Range(0, Math.Min(_keys.Length, work.Units)).Select(async w =>
        {
            for (int u = w; u < work.Units; u += _keys.Length)
            {
                var (reply, bytes, attempts) = await RunUnitAsync(work, u, w).ConfigureAwait(false);
                replies[u] = reply;
                Interlocked.Add(ref sent, bytes);
                Interlocked.Add(ref received, reply.ByteCount);
                Interlocked.Add(ref retries, attempts - 1);
                silos.TryAdd(reply.Silo, true);
            }
        })).ConfigureAwait(false);

        LastRun = new ClusterRunStatistics(sent, received, work.Units, retries, [.. silos.Keys.Order(StringComparer.Ordinal)]);

        // As locally: a non-finite task under Throw names the lowest such task; a task that threw is named with its silo.
        if (replies.Where(r => r.NonFiniteTask is not null).MinBy(r => r.NonFiniteTask) is { } nonFinite)
        {
            throw new NonFiniteTaskException(nonFinite.NonFiniteTask!.Value, nonFinite.Problem!);
        }

        for (int u = 0; u < replies.Length; u++)
        {
            if (replies[u].Failed)
            {
                throw new RemoteTaskException(work.UnitFirst(u), work.UnitCount(u), replies[u].Silo, replies[u].Problem!);
            }
        }

        var units = replies.Select(r => new MetaBatchUnit(r.Loss, r.TasksUsed, r.Skipped, [.. r.Gradient.Select(g => g?.ToTensor())])).ToArray();
        return _combiner.Combine(units);
    }

    /// <summary>Sends unit u to worker w (replacing the worker when its silo is lost); returns the reply, the bytes sent and the attempts.</summary>
    private async Task<(UnitReply Reply, long Bytes, int Attempts)> RunUnitAsync(MetaBatchWork work, int u, int w)
    {
        int first = work.UnitFirst(u);
        var tasks = Enumerable.Range(first - work.FirstIndex, work.UnitCount(u)).Select(i => TaskPayload.From(work.Tasks[i])).ToArray();
        long taskBytes = tasks.Sum(t => t.ByteCount);
        long parameterBytes = _payloads.Sum(p => (long)p.Data.Length);
        long bytes = 0;
        Exception? lastError = null;
        for (int attempt = 1; attempt <= Options.MaxAttempts; attempt++)
        {
            string key = _keys[w];
            var grain = _grains.GetGrain<IMetaBatchWorkerGrain>(key);
            try
            {
                bool current = _versions.TryGetValue(key, out long version) && version == _version;
                var request = new UnitRequest
                {
                    Learner = _learner,
                    Version = _version,
                    Parameters = current ? null : _payloads,
                    Tasks = tasks,
                    FirstIndex = first,
                    Policy = work.Policy,
                    OuterStep = work.OuterStep,
                };
                bytes += taskBytes + (current ? 0 : parameterBytes);
                var reply = await grain.RunUnit(request).ConfigureAwait(false);
                if (reply.NeedsParameters)
                {
                    bytes += taskBytes + parameterBytes;
                    reply = await grain.RunUnit(new UnitRequest
                    {
                        Learner = _learner,
                        Version = _version,
                        Parameters = _payloads,
                        Tasks = tasks,
                        FirstIndex = first,
                        Policy = work.Policy,
                        OuterStep = work.OuterStep,
                    }).ConfigureAwait(false);
                }

                _versions[key] = _version;
                return (reply, bytes, attempt);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // The worker's silo is gone (or unreachable): a fresh grain takes its place on a live silo.
                lastError = error;
                _keys[w] = Key(w);
            }
        }

        throw new RemoteTaskException(
            first,
            work.UnitCount(u),
            "",
            $"no worker answered in {Options.MaxAttempts} attempts ({lastError?.GetType().Name}: {lastError?.Message})",
            lastError);
    }

    /// <summary>Takes a new version when the meta-parameters' values changed since the last meta-batch; returns 0 (bytes are counted per worker).</summary>
    private long Refresh()
    {
        bool changed = _snapshot.Length != _parameters.Length;
        for (int i = 0; !changed && i < _parameters.Length; i++)
        {
            changed = !Bytes(_parameters[i]).SequenceEqual(_snapshot[i]);
        }

        if (changed)
        {
            _snapshot = [.. _parameters.Select(p => Bytes(p).ToArray())];
            _payloads = [.. _parameters.Select(TensorPayload.From)];
            _version++;
        }

        return 0;
    }

    private static ReadOnlySpan<byte> Bytes(Tensor tensor)
        => tensor.DType == DType.Float32 ? MemoryMarshal.AsBytes(tensor.AsSpan<float>()) : MemoryMarshal.AsBytes(tensor.AsSpan<double>());

    private string Key(int worker) => $"{_learner}/{_id}/{worker}.{Interlocked.Increment(ref _generation)}";
}
