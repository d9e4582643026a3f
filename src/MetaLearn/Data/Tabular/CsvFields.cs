using System.Text;

namespace MetaLearn.Data.Tabular;

/// <summary>Splits one line of delimited text into fields, with RFC 4180 quoting (a quoted field may hold the separator; "" is one quote).</summary>
internal static class CsvFields
{
    public static List<string> Split(string line, char separator, Func<string> where)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == separator)
            {
                fields.Add(field.ToString().Trim());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new InvalidDataException($"{where()}: a quoted field is not closed.");
        }

        fields.Add(field.ToString().Trim());
        return fields;
    }
}
