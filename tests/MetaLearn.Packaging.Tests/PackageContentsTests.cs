using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace MetaLearn.Packaging.Tests;

/// <summary>What each package holds and says about itself, read from the .nupkg as `unzip -l` would list it.</summary>
public class PackageContentsTests(PackageFeed feed) : IClassFixture<PackageFeed>
{
    private const string RepositoryUrl = "https://github.com/metalearn-dotnet/MetaLearn";

    public static TheoryData<string> Libraries() => [.. MetaLearn.Tests.Shared.RepositoryRoot.Libraries()];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void ThePackageHoldsTheLibraryItsDocsTheReadmeAndTheLicence(string library)
    {
        using var package = ZipFile.OpenRead(feed.Package(library));
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        foreach (var expected in new[] { "README.md", "LICENSE", $"lib/net10.0/{library}.dll", $"lib/net10.0/{library}.xml", $"{library}.nuspec" })
        {
            Assert.True(entries.Contains(expected), $"{library}'s package lacks {expected}; it holds {string.Join(", ", entries.Order())}.");
        }

        using var symbols = ZipFile.OpenRead(feed.Package(library, ".snupkg"));
        Assert.Contains($"lib/net10.0/{library}.pdb", symbols.Entries.Select(e => e.FullName));
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void TheNuspecCarriesTheMetadataSetOnce(string library)
    {
        var metadata = Nuspec(library);
        string Value(string name) => metadata.Element(metadata.Name.Namespace + name)?.Value ?? "";

        Assert.Equal(library, Value("id"));
        Assert.Equal(feed.Version("MetaLearn"), Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("expression", metadata.Element(metadata.Name.Namespace + "license")?.Attribute("type")?.Value);
        Assert.Equal("README.md", Value("readme"));
        Assert.Equal(RepositoryUrl, Value("projectUrl"));
        Assert.True(Value("description").Length > 40, $"{library}'s description is too short to tell a user what it is: '{Value("description")}'.");
        Assert.Contains("meta-learning", Value("tags"), StringComparison.Ordinal);
        var repository = metadata.Element(metadata.Name.Namespace + "repository");
        Assert.Equal(RepositoryUrl, repository?.Attribute("url")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository?.Attribute("commit")?.Value ?? "");
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void EveryDependencyIsOneTheCodeUses(string library)
    {
        var dependencies = Dependencies(Nuspec(library)).Select(d => d.Id).ToArray();
        using var package = ZipFile.OpenRead(feed.Package(library));
        using var stream = new MemoryStream();
        using (var dll = package.GetEntry($"lib/net10.0/{library}.dll")!.Open())
        {
            dll.CopyTo(stream);
        }

        stream.Position = 0;
        using var reader = new PEReader(stream);
        var metadataReader = reader.GetMetadataReader();
        var referenced = metadataReader.AssemblyReferences.Select(h => metadataReader.GetString(metadataReader.GetAssemblyReference(h).Name)).ToHashSet();

        // A dependency the assembly does not reference is still needed when it pins a package that another dependency
        // brings in (a served version where the other asks for one the registry no longer has).
        // A package may ship assemblies named otherwise (Microsoft.ML brings Microsoft.ML.Core, .Data, .Transforms): it is
        // used when the assembly references any of them.
        var used = dependencies.Where(d => referenced.Contains(d) || AssembliesOf(d).Any(referenced.Contains)).ToArray();
        var pinned = Transitive(used);
        var unused = dependencies.Where(d => !used.Contains(d) && !pinned.Contains(d)).ToArray();
        Assert.True(unused.Length == 0, $"{library} declares package dependencies its assembly never references and no other dependency needs: {string.Join(", ", unused)} (it references {string.Join(", ", referenced.Order())}).");
    }

    /// <summary>The names of the assemblies a package ships for any target, read from the machine's package cache.</summary>
    private IEnumerable<string> AssembliesOf(string id)
    {
        var folder = Path.Combine(feed.PackageCache, id.ToLowerInvariant());
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.dll", SearchOption.AllDirectories).Where(f => f.Contains($"{Path.DirectorySeparatorChar}lib{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Select(Path.GetFileNameWithoutExtension).OfType<string>()
            : [];
    }

    private static IEnumerable<(string Id, string Version)> Dependencies(XElement metadata) =>
        metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (e.Attribute("id")!.Value, e.Attribute("version")!.Value));

    /// <summary>Every package below <paramref name="roots"/> in the dependency graph, read from the machine's package cache.</summary>
    private HashSet<string> Transitive(IEnumerable<string> roots)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>(roots);
        while (queue.TryDequeue(out var id))
        {
            var folder = Path.Combine(feed.PackageCache, id.ToLowerInvariant());
            var nuspec = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.nuspec", SearchOption.AllDirectories).FirstOrDefault() : null;
            if (nuspec is null)
            {
                continue;
            }

            foreach (var (dependency, _) in Dependencies(XDocument.Load(nuspec).Root!))
            {
                if (seen.Add(dependency))
                {
                    queue.Enqueue(dependency);
                }
            }
        }

        return seen;
    }

    [Fact]
    public void SourceLinkPointsAtTheRepository()
    {
        using var symbols = ZipFile.OpenRead(feed.Package("MetaLearn", ".snupkg"));
        using var stream = new MemoryStream();
        using (var pdb = symbols.GetEntry("lib/net10.0/MetaLearn.pdb")!.Open())
        {
            pdb.CopyTo(stream);
        }

        stream.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
        var reader = provider.GetMetadataReader();
        var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
        string? sourceLink = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(info => reader.GetGuid(info.Kind) == sourceLinkKind)
            .Select(info => System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value)))
            .FirstOrDefault();
        Assert.NotNull(sourceLink);
        Assert.Contains("https://raw.githubusercontent.com/metalearn-dotnet/MetaLearn/", sourceLink, StringComparison.Ordinal);
    }

    private XElement Nuspec(string library)
    {
        using var package = ZipFile.OpenRead(feed.Package(library));
        using var nuspec = package.GetEntry($"{library}.nuspec")!.Open();
        var document = XDocument.Load(nuspec);
        return document.Root!.Elements().First(e => e.Name.LocalName == "metadata");
    }
}
