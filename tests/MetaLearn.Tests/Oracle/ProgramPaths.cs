using MetaLearn.Data;
using MetaLearn.MetaLearning;
using MetaLearn.NN;
using MetaLearn.Tensors;
using MetaLearn.Tensors.Autodiff;
using MetaLearn.Testing.Oracle;

namespace MetaLearn.Tests.Oracle;

/// <summary>
/// The program cases (MAML on an MLP or a conv block, first and second order; a Siamese contrastive loss), written with every
/// API the library offers for them: an explicit inner loop with <see cref="Autograd.Grad(Tensor, IReadOnlyList{Tensor}, bool, bool)"/>,
/// <see cref="Maml.Adapt"/> with the modules, <see cref="Maml.ComputeMetaGradient"/> (task loop and batched), and a learner.
/// </summary>
internal static class ProgramPaths
{
    private const DType F64 = DType.Float64;

    /// <summary>Paths that are functions of the parameters: checked on output, meta-gradient and its Hessian-vector product.</summary>
    public static IReadOnlyList<(string Path, Func<Tensor[], Tensor> Function)> Differentiable(OracleCase c) => c.Text("program") switch
    {
        "maml_mlp" =>
        [
            P("explicit inner loop with Autograd.Grad", x => InnerLoop(c, x, MlpLoss(c))),
            P("Maml.Adapt with the Sequential MLP", x => AdaptAndQuery(c, Mlp(c), TaskLosses.MeanSquaredError, x)),
        ],
        "maml_conv" =>
        [
            P("explicit inner loop, batch norm from primitives", x => InnerLoop(c, x, ConvLoss(fused: false))),
            P("explicit inner loop, fused batch norm-ReLU-max-pool", x => InnerLoop(c, x, ConvLoss(fused: true))),
            P("Maml.Adapt with ConvBlock", x => AdaptAndQuery(c, ConvBlockNet(), TaskLosses.CrossEntropy, x)),
            P("Maml.Adapt with Conv2d, BatchNorm2d, ReLU, MaxPool2d", x => AdaptAndQuery(c, LayerByLayerNet(), TaskLosses.CrossEntropy, x)),
        ],
        "siamese_contrastive" =>
        [
            P("Sequential embedding and Losses.Contrastive", x =>
            {
                var embedding = new Sequential(new Linear(4, 6, new Generator(1), dtype: F64), new Activation(ActivationKind.Tanh), new Linear(6, 3, new Generator(2), dtype: F64));
                return Losses.Contrastive(embedding.Forward(Data(c, "x1"), x), embedding.Forward(Data(c, "x2"), x), Data(c, "same"), c.Double("margin"));
            }),
            P("primitives", x =>
            {
                Tensor Embed(Tensor input) => Functional.Linear(Functional.Linear(input, x[0], x[1]).Tanh(), x[2], x[3]);
                var distance = (Embed(Data(c, "x1")) - Embed(Data(c, "x2"))).Square().Sum(1).Sqrt();
                var same = Data(c, "same");
                return ((same * distance.Square()) + ((1.0 - same) * (c.Double("margin") - distance).Relu().Square())).Mean();
            }),
        ],
        _ => [],
    };

    /// <summary>Paths that give the query loss and the meta-gradient (or only the loss) without a graph: output and gradient checked.</summary>
    public static IReadOnlyList<(string Path, Func<(double Loss, IReadOnlyList<Tensor>? Gradient)> Run)> MetaGradient(OracleCase c)
    {
        Func<Module>? model = c.Text("program") switch
        {
            "maml_mlp" => () => Mlp(c),
            "maml_conv" => ConvBlockNet,
            _ => null,
        };
        if (model is null)
        {
            return [];
        }

        var task = new LearningTask(Examples(c, "support"), Examples(c, "query"), new TaskMetadata(c.Name, new Dictionary<string, double>()));
        var paths = new List<(string, Func<(double, IReadOnlyList<Tensor>?)>)>
        {
            ("Maml.ComputeMetaGradient", () => Result(Maml(c, model(), TaskBatching.Never).ComputeMetaGradient([task]))),
            ("Maml.ComputeMetaGradient, the task twice on two threads", () =>
            {
                using var limit = TestParallelism.Use(2);
                return Result(Maml(c, model(), TaskBatching.Never).ComputeMetaGradient([task, task]));
            }),
            ("learner: Condition, Adapt then Predict", () =>
            {
                var maml = Maml(c, model(), TaskBatching.Never);
                var learner = maml.CreateLearner();
                learner.Condition(task.Support);
                learner.Adapt(c.Int("inner_steps"));
                return (maml.Loss(learner.Predict(task.Query.Inputs), task.Query).Item(), null);
            }),
        };
        if (c.Text("program") == "maml_mlp")
        {
            paths.Add(("Maml.ComputeMetaGradient, the task twice batched into one graph", () => Result(Maml(c, model(), TaskBatching.Always).ComputeMetaGradient([task, task]))));
        }

        return paths;
    }

    /// <summary>θ' by the given number of inner SGD steps written out with Grad (createGraph unless first order), then the query loss.</summary>
    private static Tensor InnerLoop(OracleCase c, Tensor[] parameters, Func<Tensor[], Examples, Tensor> loss)
    {
        var fast = parameters;
        for (int step = 0; step < c.Int("inner_steps"); step++)
        {
            var gradient = Autograd.Grad(loss(fast, Examples(c, "support")), fast, createGraph: !c.FirstOrder);
            fast = [.. fast.Select((p, i) => p - (gradient[i]! * c.Double("inner_lr")))];
        }

        return loss(fast, Examples(c, "query"));
    }

    private static Tensor AdaptAndQuery(OracleCase c, Module model, TaskLoss loss, Tensor[] parameters)
    {
        var maml = Maml(c, model, TaskBatching.Never, loss);
        var query = Examples(c, "query");
        return loss(model.Forward(query.Inputs, maml.Adapt(parameters, Examples(c, "support"), c.Int("inner_steps"), c.FirstOrder ? InnerLoopMode.FirstOrder : InnerLoopMode.SecondOrder)), query);
    }

    /// <summary>A meta-learner around <paramref name="model"/> with the case's settings and parameters.</summary>
    private static Maml Maml(OracleCase c, Module model, TaskBatching batching, TaskLoss? loss = null)
    {
        var parameters = model.Parameters();
        for (int i = 0; i < parameters.Count; i++)
        {
            Init.Assign(parameters[i], c.Inputs[i].ToTensor());
        }

        var options = new MamlOptions
        {
            InnerLearningRate = c.Double("inner_lr"),
            InnerSteps = c.Int("inner_steps"),
            FirstOrder = c.FirstOrder,
            TaskBatching = batching,
        };
        return new Maml(model, loss ?? (c.Text("program") == "maml_mlp" ? TaskLosses.MeanSquaredError : TaskLosses.CrossEntropy), options);
    }

    private static Sequential Mlp(OracleCase c)
    {
        var kind = c.Text("activation") == "tanh" ? ActivationKind.Tanh : ActivationKind.Relu;
        int[] sizes = c.Ints("layers");
        return new Sequential(
            new Linear(sizes[0], sizes[1], new Generator(1), dtype: F64), new Activation(kind),
            new Linear(sizes[1], sizes[2], new Generator(2), dtype: F64), new Activation(kind),
            new Linear(sizes[2], sizes[3], new Generator(3), dtype: F64));
    }

    private static Func<Tensor[], Examples, Tensor> MlpLoss(OracleCase c) => (p, examples) =>
    {
        Tensor Act(Tensor t) => c.Text("activation") == "tanh" ? t.Tanh() : t.Relu();
        var prediction = Functional.Linear(Act(Functional.Linear(Act(Functional.Linear(examples.Inputs, p[0], p[1])), p[2], p[3])), p[4], p[5]);
        return (prediction - ((RegressionExamples)examples).Targets).Square().Mean();
    };

    private static Sequential ConvBlockNet() => new Sequential(new ConvBlock(1, 3, new Generator(1), dtype: F64), new Flatten(), new Linear(27, 2, new Generator(2), dtype: F64));

    private static Sequential LayerByLayerNet() => new Sequential(
        new Conv2d(1, 3, 3, new Generator(1), padding: 1, dtype: F64), new BatchNorm2d(3, dtype: F64), new Activation(ActivationKind.Relu),
        new MaxPool2d(2), new Flatten(), new Linear(27, 2, new Generator(2), dtype: F64));

    private static Func<Tensor[], Examples, Tensor> ConvLoss(bool fused) => (p, examples) =>
    {
        var conv = Functional.Conv2d(examples.Inputs, p[0], p[1], 1, 1);
        Tensor pooled;
        if (fused)
        {
            pooled = Functional.BatchNormReluMaxPool2d(conv, p[2], p[3], 2);
        }
        else
        {
            int[] axes = [0, 2, 3];
            var centered = conv - conv.Mean(axes, keepDims: true);
            var normalized = centered / (centered.Square().Mean(axes, keepDims: true) + 1e-5).Sqrt();
            pooled = Functional.MaxPool2d(((normalized * p[2].Reshape(1, -1, 1, 1)) + p[3].Reshape(1, -1, 1, 1)).Relu(), 2);
        }

        return Losses.CrossEntropy(Functional.Linear(pooled.Flatten(1), p[4], p[5]), ((ClassificationExamples)examples).LabelArray());
    };

    private static Examples Examples(OracleCase c, string set)
    {
        var inputs = Data(c, "x_" + set);
        var targets = c.Array("y_" + set);
        return c.Text("program") == "maml_conv" ? MetaLearn.Data.Examples.Classification(inputs, targets.ToIndices()) : MetaLearn.Data.Examples.Regression(inputs, targets.ToTensor());
    }

    private static Tensor Data(OracleCase c, string attribute) => c.Array(attribute).ToTensor();

    private static (double, IReadOnlyList<Tensor>?) Result(MetaBatchResult result) => (result.Loss, result.Gradient);

    private static (string, Func<Tensor[], Tensor>) P(string path, Func<Tensor[], Tensor> function) => (path, function);
}
