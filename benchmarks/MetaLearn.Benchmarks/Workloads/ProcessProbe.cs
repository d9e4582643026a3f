using System.Globalization;

namespace MetaLearn.Benchmarks.Workloads;

/// <summary>
/// What Linux's <c>/proc</c> says about this process and machine: resident memory now and at its peak, the 1-minute load
/// average, and the shared libraries mapped (so a results line names the BLAS or runtime a process actually loaded).
/// Every reader returns null where <c>/proc</c> is missing (not Linux) rather than failing the run.
/// </summary>
internal static class ProcessProbe
{
    /// <summary>Resident set size now (<c>VmRSS</c>) and its peak so far (<c>VmHWM</c>), in MiB.</summary>
    /// <returns>The two figures, or nulls where <c>/proc/self/status</c> cannot be read.</returns>
    public static (double? ResidentMb, double? PeakResidentMb) Memory()
    {
        double? rss = null, peak = null;
        foreach (var line in ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) / 1024.0;
            }
        }

        return (rss is double r ? Math.Round(r, 1) : null, peak is double p ? Math.Round(p, 1) : null);
    }

    /// <summary>The 1-minute load average (<c>/proc/loadavg</c>), or null.</summary>
    /// <returns>The first field of <c>/proc/loadavg</c>.</returns>
    public static double? LoadAverage1()
    {
        var line = ReadLines("/proc/loadavg").FirstOrDefault();
        return line is not null && double.TryParse(line.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
    }

    /// <summary>The file names of the mapped shared objects whose name contains one of <paramref name="fragments"/>, with their full paths.</summary>
    /// <param name="fragments">Name fragments to keep (case-insensitive), e.g. "blas", "mkl", "torch".</param>
    /// <returns>Distinct full paths from <c>/proc/self/maps</c>, sorted.</returns>
    public static string[] MappedLibraries(params string[] fragments)
        => [.. ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is int at and >= 0 ? line[at..].Trim() : null)
            .OfType<string>()
            .Where(path => path.Contains(".so", StringComparison.Ordinal)
                && fragments.Any(f => Path.GetFileName(path).Contains(f, StringComparison.OrdinalIgnoreCase)))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    private static double Kilobytes(string statusLine)
    {
        var parts = statusLine.Split([" ", "\t"], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double kb) ? kb : double.NaN;
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
