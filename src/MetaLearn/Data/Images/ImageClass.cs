namespace MetaLearn.Data.Images;

/// <summary>What one class of an <see cref="ImageDataset"/> is.</summary>
/// <param name="Group">The folder above the class folder: an Omniglot character's alphabet; empty in a flat image folder.</param>
/// <param name="Name">The class folder's name, e.g. "character07" or "cat".</param>
/// <param name="Rotation">Degrees (0, 90, 180 or 270, counter-clockwise) the class's images are turned by; a turned character is a class of its own.</param>
public sealed record ImageClass(string Group, string Name, int Rotation)
{
    /// <summary>"Group/Name", with "@Rotation" when turned: a readable unique key.</summary>
    public override string ToString()
    {
        var path = Group.Length == 0 ? Name : $"{Group}/{Name}";
        return Rotation == 0 ? path : FormattableString.Invariant($"{path}@{Rotation}");
    }
}
