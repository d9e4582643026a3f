namespace OmniglotFewShot;

/// <summary>The methods the sample trains.</summary>
internal enum FewShotMethod
{
    /// <summary>Prototypical networks (Snell et al. 2017).</summary>
    ProtoNet,

    /// <summary>Koch et al.'s Siamese network with the weighted L1 head.</summary>
    Siamese,

    /// <summary>Matching networks (Vinyals et al. 2016): cosine attention over the support set.</summary>
    Matching,

    /// <summary>R2-D2 (Bertinetto et al. 2019): a ridge regression of each episode's support set, solved in closed form.</summary>
    R2D2,

    /// <summary>Second-order MAML (Finn et al. 2017).</summary>
    Maml,

    /// <summary>First-order MAML.</summary>
    FoMaml,

    /// <summary>Reptile (Nichol et al. 2018).</summary>
    Reptile,
}
