using System.Globalization;
using MetaLearn.MetaLearning;

namespace MetaLearn.Benchmarks.Workloads;

/// <summary>The workload runner's flags, named as the TorchSharp peer's.</summary>
internal sealed class WorkloadOptions
{
    public string Workload { get; private set; } = string.Empty;

    public int? Iters { get; private set; }

    public int? Warmup { get; private set; }

    public int? MetaBatch { get; private set; }

    public int? Ways { get; private set; }

    public int? Shots { get; private set; }

    /// <summary>Query images per class (<c>--queries N</c>, omniglot-conv; 15 by default, as the peers).</summary>
    public int? Queries { get; private set; }

    /// <summary>Images per forward and backward (<c>--batch N</c>, resnet12).</summary>
    public int? Batch { get; private set; }

    public bool FirstOrder { get; private set; }

    public bool SecondOrderOnly { get; private set; }

    /// <summary>MAML's inner steps per task (<c>--inner-steps N</c>, omniglot-conv only; 1 by default, as the peers).</summary>
    public int? InnerSteps { get; private set; }

    /// <summary>Checkpoint each inner step (<c>--checkpoint</c>, omniglot-conv only): <see cref="MamlOptions.CheckpointInnerSteps"/>.</summary>
    public bool Checkpoint { get; private set; }

    public int Threads { get; private set; } = Environment.ProcessorCount;

    public ulong Seed { get; private set; } = 1;

    public int EvalTasks { get; private set; } = 1000;

    public int EvalSteps { get; private set; } = 10;

    public bool Quiet { get; private set; }

    /// <summary>
    /// How MAML runs a meta-batch (<c>--task-batching auto|never|always</c>, <see cref="TaskBatching.Auto"/>
    /// by default): <c>never</c> gives one graph per task, the like-for-like row against a peer's per-task loop.
    /// </summary>
    public TaskBatching TaskBatching { get; private set; } = TaskBatching.Auto;

    public int? Silos { get; private set; }

    public int? Workers { get; private set; }

    public bool Described { get; private set; }

    public static WorkloadOptions Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new ArgumentException("missing workload name (sine | omniglot-conv | protonet | siamese | reptile | resnet12 | overhead | orleans-overhead)");
        }

        var o = new WorkloadOptions { Workload = args[0] };
        for (int i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0
                ? v : throw new ArgumentException($"{args[i - 1]} needs a non-negative integer");
            switch (args[i])
            {
                case "--iters": o.Iters = NextInt(); break;
                case "--warmup": o.Warmup = NextInt(); break;
                case "--meta-batch": o.MetaBatch = Math.Max(1, NextInt()); break;
                case "--ways": o.Ways = Math.Max(2, NextInt()); break;
                case "--shots": o.Shots = Math.Max(1, NextInt()); break;
                case "--queries": o.Queries = Math.Max(1, NextInt()); break;
                case "--batch": o.Batch = Math.Max(2, NextInt()); break;
                case "--first-order": o.FirstOrder = true; break;
                case "--second-order-only": o.SecondOrderOnly = true; break;
                case "--inner-steps": o.InnerSteps = NextInt(); break;
                case "--checkpoint": o.Checkpoint = true; break;
                case "--threads": o.Threads = Math.Max(1, NextInt()); break;
                case "--seed": o.Seed = (ulong)NextInt(); break;
                case "--eval-tasks": o.EvalTasks = NextInt(); break;
                case "--eval-steps": o.EvalSteps = Math.Max(1, NextInt()); break;
                case "--quiet": o.Quiet = true; break;
                case "--task-batching": o.TaskBatching = ParseTaskBatching(Next()); break;
                case "--silos": o.Silos = Math.Max(1, NextInt()); break;
                case "--workers": o.Workers = Math.Max(1, NextInt()); break;
                case "--described": o.Described = true; break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }

        if (o.FirstOrder && o.SecondOrderOnly)
        {
            throw new ArgumentException("--first-order and --second-order-only exclude each other");
        }

        return o;
    }

    private static TaskBatching ParseTaskBatching(string value) => value switch
    {
        "auto" => TaskBatching.Auto,
        "never" => TaskBatching.Never,
        "always" => TaskBatching.Always,
        _ => throw new ArgumentException($"--task-batching takes auto, never or always, not '{value}'"),
    };
}
