using System.Text.Json;
using MetaLearn.Tensors;

namespace MetaLearn.Testing.Oracle;

/// <summary>
/// One libtorch reference case (format <c>torch-oracle/1</c>, see <c>tests/Shared/Oracle/torch-cases.md</c>): an op or program, its
/// non-differentiable attributes, the differentiable inputs, and the reference output, vector-Jacobian product (for the
/// cotangent v) and Hessian-vector product (for the directions w).
/// </summary>
internal sealed class OracleCase
{
    private readonly JsonElement _attributes;

    public OracleCase(JsonElement element)
    {
        Name = element.GetProperty("name").GetString()!;
        Op = element.GetProperty("op").GetString()!;
        _attributes = element.GetProperty("attrs").Clone();
        FirstOrder = element.TryGetProperty("first_order", out var first) && first.GetBoolean();
        var inputs = element.GetProperty("inputs").EnumerateArray().ToArray();
        InputNames = [.. inputs.Select(i => i.GetProperty("name").GetString()!)];
        Inputs = [.. inputs.Select(OracleArray.Parse)];
        Output = OracleArray.Parse(element.GetProperty("output"));
        Cotangent = OracleArray.Parse(element.GetProperty("cotangent"));
        Grads = [.. element.GetProperty("grads").EnumerateArray().Select(OracleArray.Parse)];
        Directions = [.. element.GetProperty("w").EnumerateArray().Select(OracleArray.Parse)];
        Grad2 = [.. element.GetProperty("grad2").EnumerateArray().Select(OracleArray.Parse)];
    }

    public string Name { get; }

    public string Op { get; }

    /// <summary>Program cases: whether the inner gradient is detached (first-order MAML).</summary>
    public bool FirstOrder { get; }

    public string[] InputNames { get; }

    public OracleArray[] Inputs { get; }

    public OracleArray Output { get; }

    /// <summary>v, shaped like the output.</summary>
    public OracleArray Cotangent { get; }

    /// <summary>d⟨y, v⟩/dxᵢ, one per input.</summary>
    public OracleArray[] Grads { get; }

    /// <summary>The directions wᵢ of the Hessian-vector product.</summary>
    public OracleArray[] Directions { get; }

    /// <summary>d/dxⱼ Σᵢ ⟨gᵢ, wᵢ⟩, one per input.</summary>
    public OracleArray[] Grad2 { get; }

    /// <summary>Fresh float64 leaves holding the inputs, requiring grad.</summary>
    public Tensor[] Leaves()
    {
        var leaves = Inputs.Select(i => i.ToTensor()).ToArray();
        foreach (var leaf in leaves)
        {
            leaf.RequiresGrad = true;
        }

        return leaves;
    }

    public bool Has(string attribute) => _attributes.TryGetProperty(attribute, out var value) && value.ValueKind != JsonValueKind.Null;

    public int Int(string attribute) => _attributes.GetProperty(attribute).GetInt32();

    public double Double(string attribute) => _attributes.GetProperty(attribute).GetDouble();

    public bool Bool(string attribute) => _attributes.GetProperty(attribute).GetBoolean();

    public string Text(string attribute) => _attributes.GetProperty(attribute).GetString()!;

    public int[] Ints(string attribute) => [.. _attributes.GetProperty(attribute).EnumerateArray().Select(d => d.GetInt32())];

    /// <summary>A tensor-valued attribute (class targets, gather indices, MAML data): a constant.</summary>
    public OracleArray Array(string attribute) => OracleArray.Parse(_attributes.GetProperty(attribute));

    public override string ToString() => Name;
}
